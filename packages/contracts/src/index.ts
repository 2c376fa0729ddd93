export * from "./audit.js";
export * from "./envelope.js";
export * from "./errors.js";
export * from "./topic.js";
export * from "./topic-names.js";
