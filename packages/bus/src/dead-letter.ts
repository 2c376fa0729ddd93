import { PoisonRecord } from "@clueline/contracts/errors";
import type { ConsumedRecord } from "./consumed-record.js";
import type { OutgoingRecord } from "./publisher.js";

/** Header names a dead-letter record carries beside the original record's own headers. */
export const dlqHeaders = {
  errorClass: "clueline-dlq-error-class",
  /** A code the error carries, when it has one: a SQLSTATE (`23514`), a driver's `ECONNRESET`. */
  errorCode: "clueline-dlq-error-code",
  errorMessage: "clueline-dlq-error-message",
  problems: "clueline-dlq-problems",
  topic: "clueline-dlq-topic",
  partition: "clueline-dlq-partition",
  offset: "clueline-dlq-offset",
  group: "clueline-dlq-group",
  failedAt: "clueline-dlq-failed-at",
} as const;

/**
 * The error's class name. pg and PGlite name a server's error `error` (the protocol message's type) and PGlite's
 * bundle minifies the class, so such an error is called `DatabaseError` here, pg's name for it; a plain `Error`
 * goes by its constructor's name.
 */
export function errorClassOf(error: unknown): string {
  if (!(error instanceof Error)) return "UnknownError";
  if (error.name === "error") return "DatabaseError";
  return error.name === "Error" ? error.constructor.name : error.name;
}

/** A short code the error carries (SQLSTATE, errno name), never free text; undefined when it has none. */
export function errorCodeOf(error: unknown): string | undefined {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" && /^[A-Z0-9_]{1,32}$/i.test(code) ? code : undefined;
}

/**
 * A poison record's message is ours (it names the rule, never the value); any other error's message is the
 * driver's or the runtime's, which can quote what it refused (PostgreSQL's `invalid input syntax for type …:
 * "<value>"`, a JSON parser's excerpt), so only its class and code travel (DESIGN §4: no identity in headers).
 */
function messageOf(error: unknown): string {
  if (error instanceof PoisonRecord) return error.message;
  const code = errorCodeOf(error);
  return `${errorClassOf(error)}${code ? ` ${code}` : ""} (message withheld: it may quote the record)`;
}

/**
 * The record as it arrived (key, value, headers untouched) plus the error, for `<topic>.dlq`. Problems carry
 * paths and reasons only, never values, because a value may hold reporter identity.
 */
export function toDeadLetter(options: { record: ConsumedRecord; error: unknown; groupId: string }): OutgoingRecord {
  const { record, error } = options;
  const problems = error instanceof PoisonRecord ? error.problems : [];
  const code = errorCodeOf(error);
  return {
    topic: `${record.topic}.dlq`,
    key: record.key,
    value: record.value,
    headers: {
      ...record.headers,
      [dlqHeaders.errorClass]: errorClassOf(error),
      ...(code ? { [dlqHeaders.errorCode]: code } : {}),
      [dlqHeaders.errorMessage]: messageOf(error),
      [dlqHeaders.problems]: JSON.stringify(problems),
      [dlqHeaders.topic]: record.topic,
      [dlqHeaders.partition]: String(record.partition),
      [dlqHeaders.offset]: record.offset,
      [dlqHeaders.group]: options.groupId,
      [dlqHeaders.failedAt]: new Date().toISOString(),
    },
  };
}
