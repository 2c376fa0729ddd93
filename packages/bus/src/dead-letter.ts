import { PoisonRecord } from "@clueline/contracts/errors";
import type { ConsumedRecord } from "./consumed-record.js";
import type { OutgoingRecord } from "./publisher.js";

/** Header names a dead-letter record carries beside the original record's own headers. */
export const dlqHeaders = {
  errorClass: "clueline-dlq-error-class",
  errorMessage: "clueline-dlq-error-message",
  problems: "clueline-dlq-problems",
  topic: "clueline-dlq-topic",
  partition: "clueline-dlq-partition",
  offset: "clueline-dlq-offset",
  group: "clueline-dlq-group",
  failedAt: "clueline-dlq-failed-at",
} as const;

/**
 * The record as it arrived (key, value, headers untouched) plus the error, for `<topic>.dlq`. Problems carry
 * paths and reasons only, never values, because a value may hold reporter identity.
 */
export function toDeadLetter(options: { record: ConsumedRecord; error: unknown; groupId: string }): OutgoingRecord {
  const { record, error } = options;
  const problems = error instanceof PoisonRecord ? error.problems : [];
  return {
    topic: `${record.topic}.dlq`,
    key: record.key,
    value: record.value,
    headers: {
      ...record.headers,
      [dlqHeaders.errorClass]: error instanceof Error ? error.name : "UnknownError",
      [dlqHeaders.errorMessage]: error instanceof Error ? error.message : String(error),
      [dlqHeaders.problems]: JSON.stringify(problems),
      [dlqHeaders.topic]: record.topic,
      [dlqHeaders.partition]: String(record.partition),
      [dlqHeaders.offset]: record.offset,
      [dlqHeaders.group]: options.groupId,
      [dlqHeaders.failedAt]: new Date().toISOString(),
    },
  };
}
