export * from "./audit.js";
export * from "./channels.js";
export * from "./envelope.js";
export * from "./errors.js";
export * from "./identity.js";
export * from "./topic.js";
export * from "./topic-names.js";
