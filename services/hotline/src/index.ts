export * from "./app.js";
export * from "./call-record.js";
export * from "./config.js";
