import type { ConsumedRecord } from "../consumed-record.js";
import { dlqHeaders } from "../dead-letter.js";
import type { OutgoingRecord } from "../publisher.js";

/** Set on a replayed record: which dead letter it came from (`<topic>.dlq/<partition>/<offset>`). */
export const replayedFromHeader = "clueline-dlq-replayed-from";

/** One line of `dlq list`: ids and the error's kind, nothing of the value. */
export interface DeadLetterSummary {
  partition: number;
  offset: string;
  failedAt: string;
  ceId: string | null;
  ceType: string | null;
  key: string | null;
  errorClass: string;
  errorCode: string | null;
  summary: string;
  replayed: boolean;
}

type Problem = { path: string; reason: string };

function problemsOf(record: ConsumedRecord): Problem[] {
  try {
    const problems = JSON.parse(record.headers[dlqHeaders.problems] ?? "[]");
    return Array.isArray(problems) ? problems : [];
  } catch {
    return [];
  }
}

/** The first problems as `path: reason`, else the error message, cut to `width` characters. */
export function errorSummary(record: ConsumedRecord, width = 80): string {
  const problems = problemsOf(record);
  const text =
    problems.length > 0
      ? problems.map((problem) => `${problem.path}: ${problem.reason}`).join("; ")
      : (record.headers[dlqHeaders.errorMessage] ?? "");
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > width ? `${line.slice(0, width - 1).trimEnd()}…` : line;
}

export function summarizeDeadLetter(record: ConsumedRecord, replayed: boolean): DeadLetterSummary {
  const failedAt = record.headers[dlqHeaders.failedAt] ?? new Date(Number(record.timestamp)).toISOString();
  return {
    partition: record.partition,
    offset: record.offset,
    failedAt,
    ceId: record.headers.ce_id ?? null,
    ceType: record.headers.ce_type ?? null,
    key: record.key,
    errorClass: record.headers[dlqHeaders.errorClass] ?? "unknown",
    errorCode: record.headers[dlqHeaders.errorCode] ?? null,
    summary: errorSummary(record),
    replayed,
  };
}

const isSeal = (value: unknown): boolean =>
  typeof value === "object" && value !== null && "ciphertext" in value && "iv" in value && "tag" in value;

/**
 * The value with every sealed reporter identity replaced by a marker: `reporter.identity` wherever it sits, and any
 * other sealed blob (`{ iv, tag, ciphertext }`). Nothing is ever opened here; the marker keeps the key id, which is
 * no secret and says which key a fix would need.
 */
export function elideSealedIdentity(value: unknown, parentKey?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => elideSealedIdentity(item));
  if (typeof value !== "object" || value === null) return value;
  if (isSeal(value)) return `[sealed, elided${"keyId" in value ? ` (key ${String(value.keyId)})` : ""}]`;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) =>
      parentKey === "reporter" && key === "identity" && item !== null
        ? [key, isSeal(item) ? elideSealedIdentity(item) : "[sealed, elided]"]
        : [key, elideSealedIdentity(item, key)],
    ),
  );
}

/** One dead letter in full for `dlq show`: where it was, its headers, the error, and the value without identity. */
export function detailDeadLetter(record: ConsumedRecord, replayed: boolean) {
  let value: unknown = null;
  try {
    if (record.value !== null) value = elideSealedIdentity(JSON.parse(record.value.toString("utf8")));
  } catch {
    // Not JSON (a poison record can be anything): with no structure there is no telling where an identity would be.
    value = { notJson: true, bytes: record.value?.length ?? 0 };
  }
  return {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    timestamp: new Date(Number(record.timestamp)).toISOString(),
    key: record.key,
    replayed,
    error: {
      class: record.headers[dlqHeaders.errorClass] ?? "unknown",
      code: record.headers[dlqHeaders.errorCode] ?? null,
      message: record.headers[dlqHeaders.errorMessage] ?? null,
      problems: problemsOf(record),
    },
    headers: record.headers,
    value,
  };
}

/** The record as it was before it died: original topic, key, headers (without the dead letter's), value. */
export function toReplayRecord(record: ConsumedRecord): OutgoingRecord {
  const headers = Object.fromEntries(Object.entries(record.headers).filter(([name]) => !name.startsWith("clueline-dlq-")));
  return {
    topic: record.headers[dlqHeaders.topic] ?? record.topic.replace(/\.dlq$/, ""),
    key: record.key,
    value: record.value,
    headers: { ...headers, [replayedFromHeader]: `${record.topic}/${record.partition}/${record.offset}` },
  };
}
