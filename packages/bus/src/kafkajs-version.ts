/**
 * The kafkajs release that the idle-loop fix (kafkajs-idle-fix.ts) and the one-pass produce encoder
 * (kafkajs-produce-encoder.ts) were written against. Every workspace pins kafkajs to exactly this version;
 * kafkajs-patches.test.ts fails when the installed kafkajs is another one or its patched code has changed.
 */
export const PATCHED_KAFKAJS_VERSION = "2.2.4";
