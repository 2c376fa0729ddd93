export * from "./consumed-record.js";
export * from "./consumer-runner.js";
export * from "./dead-letter.js";
export * from "./ensure-topics.js";
export * from "./kafka.js";
export * from "./publisher.js";
export * from "./publisher-thread.js";
