import type { Kafka } from "kafkajs";

export interface TopicSpec {
  name: string;
  partitions: number;
}

/**
 * Creates the topics that do not exist yet, each with its `.dlq` twin when asked; existing ones are left as
 * they are (partition counts never shrink), so it is safe to call on every start.
 *
 * @example
 * await ensureTopics({ kafka, topics: [{ name: "clueline.clue.routed.v1", partitions: 6 }], withDlq: true });
 */
export async function ensureTopics(options: {
  kafka: Kafka;
  topics: TopicSpec[];
  withDlq?: boolean;
  /** 1 for the single development broker; production sets its own. */
  replicationFactor?: number;
}): Promise<void> {
  const wanted = options.topics.flatMap((topic) =>
    options.withDlq ? [topic, { name: `${topic.name}.dlq`, partitions: 1 }] : [topic],
  );
  const admin = options.kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((topic) => !existing.has(topic.name));
    if (missing.length === 0) return;
    const replicationFactor = options.replicationFactor ?? 1;
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic: topic.name, numPartitions: topic.partitions, replicationFactor })),
      });
    } catch (error) {
      // Another process created some of them between our list and create (services starting together):
      // fine, once all exist. The other creator's topics take a moment to appear in metadata, so look a few
      // times before giving up.
      for (let attempt = 0; attempt < 20; attempt++) {
        const now = new Set(await admin.listTopics());
        if (wanted.every((topic) => now.has(topic.name))) return;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw error;
    }
  } finally {
    await admin.disconnect();
  }
}

/**
 * {@link ensureTopics} for topics that appear while a service runs (a unit's stream when the unit first gets work):
 * remembers what exists, so only a name not seen before costs a call to the broker.
 *
 * @example
 * const prepare = createTopicPreparer({ kafka, partitions: 1 });
 * await prepare(["clueline.unit.town-chengguan.v1"]);
 */
export function createTopicPreparer(options: { kafka: Kafka; partitions: number }) {
  const known = new Set<string>();
  return async function prepareTopics(names: string[]): Promise<void> {
    const missing = [...new Set(names)].filter((name) => !known.has(name));
    if (missing.length === 0) return;
    await ensureTopics({ kafka: options.kafka, topics: missing.map((name) => ({ name, partitions: options.partitions })) });
    for (const name of missing) known.add(name);
  };
}
