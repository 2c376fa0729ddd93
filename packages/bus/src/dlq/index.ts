export * from "./dead-letter-view.js";
export * from "./dlq.js";
export * from "./dlq-state.js";
export * from "./replay-dead-letters.js";
export * from "./replay-marks.js";
