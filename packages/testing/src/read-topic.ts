import { type ConsumedRecord, toConsumedRecord } from "@clueline/bus";
import type { Kafka } from "kafkajs";
import { uniqueName } from "./fixtures.js";

/**
 * Reads a topic from the beginning with a throwaway group until `count` records arrived or the time is up;
 * returns what arrived, so a test can assert on fewer records than it hoped for.
 */
export async function readTopic(options: {
  kafka: Kafka;
  topic: string;
  count: number;
  timeoutMs?: number;
}): Promise<ConsumedRecord[]> {
  const consumer = options.kafka.consumer({ groupId: uniqueName("reader") });
  const records: ConsumedRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: options.topic, fromBeginning: true });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.timeoutMs ?? 15_000);
      void consumer.run({
        eachMessage: async ({ topic, partition, message }) => {
          records.push(toConsumedRecord({ topic, partition, message }));
          if (records.length >= options.count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}
