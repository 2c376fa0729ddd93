export * from "./app.js";
export * from "./config.js";
export * from "./logger.js";
export * from "./metrics.js";
export * from "./problem.js";
export * from "./readiness.js";
export * from "./serve.js";
export * from "./shutdown.js";
