// The router as a library, for cross-service tests and tools: no side effects (main.ts has them).
export { compileDirectory } from "./directory/index.js";
export { createChannelBatchHandler } from "./pipeline/channel-handler.js";
export { createBatchRouter } from "./routing/index.js";
export { createMemoryRouterState } from "./state/index.js";
