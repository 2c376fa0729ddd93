export * from "./receipt.js";
export * from "./sealer.js";
