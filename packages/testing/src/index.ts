export * from "./fixtures.js";
export * from "./free-port.js";
export * from "./infra-info.js";
export * from "./read-topic.js";
