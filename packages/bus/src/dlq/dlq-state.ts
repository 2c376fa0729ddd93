import type { Admin, Kafka } from "kafkajs";
import { noReplayMarks, parseReplayMarks, type ReplayMarks } from "./replay-marks.js";

/** The consumer group whose committed offsets (and their metadata) record what was replayed of `<topic>.dlq`. */
export const replayGroupOf = (topic: string) => `clueline-dlq-replay.${topic}`;

export interface DlqState {
  dlqTopic: string;
  /** Per partition: the offsets that exist now (low inclusive, high exclusive) and what was replayed. */
  partitions: Map<number, { low: bigint; high: bigint; marks: ReplayMarks }>;
}

export async function withAdmin<T>(kafka: Kafka, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Where `<topic>.dlq` stands: its offsets and the replay marks; fails naming the topic when it has no `.dlq`. */
export async function readState(kafka: Kafka, topic: string): Promise<DlqState> {
  const dlqTopic = `${topic}.dlq`;
  return withAdmin(kafka, async (admin) => {
    if (!(await admin.listTopics()).includes(dlqTopic)) throw new DlqNotFound(dlqTopic);
    const offsets = await admin.fetchTopicOffsets(dlqTopic);
    const [committed] = await admin.fetchOffsets({ groupId: replayGroupOf(topic), topics: [dlqTopic] });
    const marksOf = (partition: number) => {
      const entry = committed?.partitions.find((p) => p.partition === partition);
      return entry ? parseReplayMarks({ offset: entry.offset, metadata: entry.metadata }) : noReplayMarks();
    };
    return {
      dlqTopic,
      partitions: new Map(
        offsets.map((o) => [o.partition, { low: BigInt(o.low), high: BigInt(o.high), marks: marksOf(o.partition) }]),
      ),
    };
  });
}

export class DlqNotFound extends Error {
  override readonly name = "DlqNotFound";
  constructor(what: string) {
    super(`no ${what}`);
  }
}
