import type { Kafka } from "kafkajs";
import type { Publisher } from "../publisher.js";
import { type DeadLetterSummary, summarizeDeadLetter, toReplayRecord } from "./dead-letter-view.js";
import { DlqNotFound, readState, replayGroupOf, withAdmin } from "./dlq-state.js";
import type { OffsetRange } from "./read-range.js";
import { readRange } from "./read-range.js";
import { isReplayed, markReplayed, markReplayedUpTo, type ReplayMarks, serializeReplayMarks } from "./replay-marks.js";

export class ReplayBusy extends Error {
  override readonly name = "ReplayBusy";
}

export interface ReplayResult {
  /** Records put back on their topic by this run. */
  replayed: number;
  /** Dead letters that a run before had put back (not again). */
  alreadyReplayed: number;
}

const count = (from: bigint, to: bigint) => Number(to > from ? to - from : 0n);
// Math.min and Math.max take no bigint.
const smaller = (a: bigint, b: bigint) => (a < b ? a : b);
const larger = (a: bigint, b: bigint) => (a > b ? a : b);

/**
 * Puts dead letters of `topic` back on it: the original key, headers (plus `clueline-dlq-replayed-from`) and value,
 * published with the caller's idempotent acks=all publisher. What was replayed is committed, after each fetched
 * batch was acknowledged, as the offsets of the group `clueline-dlq-replay.<topic>` (see {@link ReplayMarks}), so a
 * second run puts nothing back twice; a run that dies between the ack and the commit replays that batch again, which
 * consumers drop by `ce_id`. Only what was in the `.dlq` when the run began is replayed: a record that dies again
 * comes back as a new dead letter for the next run.
 *
 * @example
 * await replayDeadLetters({ kafka, publisher, topic: "clueline.clue.routed.v1", select: { all: true } });
 */
export async function replayDeadLetters(options: {
  kafka: Kafka;
  publisher: Publisher;
  topic: string;
  select: { all: true } | { offset: bigint; partition?: number };
  onReplayed?: (letter: DeadLetterSummary & { toTopic: string }) => void;
}): Promise<ReplayResult> {
  const { kafka, topic, select } = options;
  const state = await readState(kafka, topic);
  const marks = new Map([...state.partitions].map(([partition, p]) => [partition, p.marks]));
  const ranges = new Map<number, OffsetRange>();
  let alreadyReplayed = 0;
  if ("all" in select) {
    for (const [partition, { low, high, marks: m }] of state.partitions) {
      const from = larger(m.next, low);
      // Singles within the range are counted as they are read and skipped.
      alreadyReplayed += count(low, smaller(from, high));
      ranges.set(partition, { from, to: high });
    }
  } else {
    const partition = select.partition ?? 0;
    const p = state.partitions.get(partition);
    if (!p || select.offset < p.low || select.offset >= p.high) {
      throw new DlqNotFound(`dead letter at ${state.dlqTopic}/${partition}/${select.offset}`);
    }
    if (isReplayed(p.marks, select.offset)) return { replayed: 0, alreadyReplayed: 1 };
    ranges.set(partition, { from: select.offset, to: select.offset + 1n });
  }
  if (![...ranges.values()].some((range) => range.from < range.to)) return { replayed: 0, alreadyReplayed };

  const groupId = replayGroupOf(topic);
  const group = await withAdmin(kafka, async (admin) => (await admin.describeGroups([groupId])).groups[0]);
  if (group && group.members.length > 0) throw new ReplayBusy(`another replay of ${topic} is running (group ${groupId})`);

  let replayed = 0;
  await readRange({
    kafka,
    topic: state.dlqTopic,
    groupId,
    ranges,
    async onBatch(records, commitOffsets) {
      const partition = records[0]?.partition ?? 0;
      const before = marks.get(partition) as ReplayMarks;
      const fresh = records.filter((record) => !isReplayed(before, BigInt(record.offset)));
      alreadyReplayed += records.length - fresh.length;
      await options.publisher.publishAll(fresh.map(toReplayRecord));
      const last = BigInt(records[records.length - 1]?.offset ?? "0");
      const after =
        "all" in select
          ? markReplayedUpTo(before, last + 1n)
          : markReplayed(
              before,
              fresh.map((r) => BigInt(r.offset)),
            );
      await commitOffsets([
        { topic: state.dlqTopic, partition, offset: String(after.next), metadata: serializeReplayMarks(after) },
      ]);
      marks.set(partition, after);
      for (const record of fresh) {
        replayed += 1;
        options.onReplayed?.({ ...summarizeDeadLetter(record, true), toTopic: toReplayRecord(record).topic });
      }
    },
  });
  return { replayed, alreadyReplayed };
}
