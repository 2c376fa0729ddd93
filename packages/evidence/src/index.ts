export * from "./evidence-store.js";
export * from "./media-type.js";
export * from "./s3-claim-store.js";
export * from "./s3-client.js";
