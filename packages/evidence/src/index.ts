export * from "./evidence-store.js";
