import type { Kafka } from "kafkajs";
import { ulid } from "ulid";
import type { ConsumedRecord } from "../consumed-record.js";
import { type DeadLetterSummary, detailDeadLetter, summarizeDeadLetter } from "./dead-letter-view.js";
import { DlqNotFound, type DlqState, readState } from "./dlq-state.js";
import { type OffsetRange, readRange } from "./read-range.js";
import { isReplayed, noReplayMarks } from "./replay-marks.js";

async function readAll(kafka: Kafka, state: DlqState, ranges: Map<number, OffsetRange>): Promise<ConsumedRecord[]> {
  const records: ConsumedRecord[] = [];
  // A throwaway group that never commits: the broker forgets it once it is empty.
  const groupId = `clueline-dlq-reader-${ulid().toLowerCase()}`;
  await readRange({ kafka, topic: state.dlqTopic, groupId, ranges, onBatch: async (batch) => void records.push(...batch) });
  return records;
}

/** The dead letters of `topic` (its full name, prefix included), oldest first per partition, each marked replayed or not. */
export async function listDeadLetters(options: { kafka: Kafka; topic: string }): Promise<DeadLetterSummary[]> {
  const state = await readState(options.kafka, options.topic);
  const ranges = new Map([...state.partitions].map(([partition, p]) => [partition, { from: p.low, to: p.high }]));
  const records = await readAll(options.kafka, state, ranges);
  return records.map((record) => {
    const marks = state.partitions.get(record.partition)?.marks ?? noReplayMarks();
    return summarizeDeadLetter(record, isReplayed(marks, BigInt(record.offset)));
  });
}

/** One dead letter in full (see {@link detailDeadLetter}); fails with {@link DlqNotFound} when the offset holds none. */
export async function showDeadLetter(options: { kafka: Kafka; topic: string; offset: bigint; partition?: number }) {
  const state = await readState(options.kafka, options.topic);
  const partition = options.partition ?? 0;
  const p = state.partitions.get(partition);
  if (!p || options.offset < p.low || options.offset >= p.high) {
    throw new DlqNotFound(`dead letter at ${state.dlqTopic}/${partition}/${options.offset}`);
  }
  const [record] = await readAll(options.kafka, state, new Map([[partition, { from: options.offset, to: options.offset + 1n }]]));
  if (!record) throw new DlqNotFound(`dead letter at ${state.dlqTopic}/${partition}/${options.offset}`);
  return detailDeadLetter(record, isReplayed(p.marks, options.offset));
}
