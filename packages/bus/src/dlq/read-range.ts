import type { Consumer, Kafka } from "kafkajs";
import { type ConsumedRecord, toConsumedRecord } from "../consumed-record.js";

/** Offsets `from` (inclusive) to `to` (exclusive) of one partition. */
export interface OffsetRange {
  from: bigint;
  to: bigint;
}

/**
 * Reads the given ranges of `topic` as member of `groupId` (kafkajs has no group-less reading) and hands over each
 * fetched batch's records within them; resolves once every range was read. Commits nothing itself: `onBatch` may,
 * through the consumer's `commitOffsets` it is given.
 * A range is read up to its end as known when the caller asked, so records added meanwhile (a replayed record that
 * dies again) wait for the next run.
 */
export async function readRange(options: {
  kafka: Kafka;
  topic: string;
  groupId: string;
  ranges: Map<number, OffsetRange>;
  onBatch: (records: ConsumedRecord[], commitOffsets: Consumer["commitOffsets"]) => Promise<void>;
  /** Without a record for this long the read fails (another member holds the partitions, the broker is gone). */
  idleTimeoutMs?: number;
}): Promise<void> {
  const pending = new Map([...options.ranges].filter(([, range]) => range.from < range.to));
  if (pending.size === 0) return;
  const { topic } = options;
  const consumer = options.kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const idleMs = options.idleTimeoutMs ?? 30_000;
      let timer = setTimeout(() => fail(new Error(`nothing read from ${topic} for ${idleMs} ms`)), idleMs);
      let settled = false;
      function fail(error: unknown) {
        settled = true;
        clearTimeout(timer);
        reject(error);
      }
      consumer
        .run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          eachBatch: async ({ batch }) => {
            const range = pending.get(batch.partition);
            if (settled || !range) return;
            clearTimeout(timer);
            timer = setTimeout(() => fail(new Error(`nothing read from ${topic} for ${idleMs} ms`)), idleMs);
            const records = batch.messages
              .filter((message) => BigInt(message.offset) >= range.from && BigInt(message.offset) < range.to)
              .map((message) => toConsumedRecord({ topic, partition: batch.partition, message }));
            try {
              if (records.length > 0) await options.onBatch(records, (offsets) => consumer.commitOffsets(offsets));
            } catch (error) {
              return fail(error);
            }
            if (BigInt(batch.lastOffset()) >= range.to - 1n) pending.delete(batch.partition);
            if (pending.size === 0) {
              settled = true;
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(fail);
      for (const [partition, range] of pending) consumer.seek({ topic, partition, offset: String(range.from) });
    });
  } finally {
    await consumer.disconnect();
  }
}
