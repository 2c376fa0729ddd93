export * from "./app.js";
export * from "./config.js";
export * from "./exposure.js";
export * from "./webhook-signature.js";
