export * from "./key-ring.js";
export * from "./receipt.js";
export * from "./scrub/index.js";
export * from "./sealer.js";
