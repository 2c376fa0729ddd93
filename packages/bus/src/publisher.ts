import { RetryableOutage } from "@clueline/contracts/errors";
import { type Kafka, type Message, Partitioners, type Producer } from "kafkajs";
import type { Logger } from "pino";

/** One record to publish: the topic plus what {@link Topic.serialize} made. */
export interface OutgoingRecord {
  topic: string;
  key: string | null;
  value: Buffer | string | null;
  headers: Record<string, string>;
}

export interface Publisher {
  /** Resolves once the broker acknowledged the record on all in-sync replicas (acks = all). */
  publish(record: OutgoingRecord): Promise<void>;
  publishAll(records: OutgoingRecord[]): Promise<void>;
  connect(): Promise<void>;
  /** Flushes what is queued, then disconnects. */
  close(): Promise<void>;
}

interface Pending {
  record: OutgoingRecord;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * An idempotent producer that coalesces concurrent sends: records published while a batch is on the wire
 * wait and leave together in the next one, so a thousand concurrent HTTP requests cost a handful of broker
 * round trips instead of a thousand. A send that cannot complete within `timeoutMs` fails with
 * {@link RetryableOutage}, so an edge can answer 503 instead of hanging.
 *
 * @example
 * const publisher = createPublisher({ kafka, logger });
 * await publisher.connect();
 * await publisher.publish({ topic: topic.name, ...topic.serialize(data, { source: "/hotline" }) });
 */
export function createPublisher(options: { kafka: Kafka; logger: Logger; timeoutMs?: number; maxBatch?: number }): Publisher {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const maxBatch = options.maxBatch ?? 2_000;
  // Idempotence needs acks = all; kafkajs keeps ordering per partition with at most 5 requests in flight only
  // when it is 1, so batches (not parallel requests) carry the throughput.
  // Retries are bounded on purpose (kafkajs warns that this "may invalidate EoS"): an edge must be able to say
  // 503 and mean "not published"; unbounded retries would publish a request long after it was refused.
  // A caller that retries reuses its complaint id, and consumers drop repeats by event id.
  const newProducer = (): Producer =>
    options.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  let producer = newProducer();
  let queue: Pending[] = [];
  let draining: Promise<void> | undefined;
  let connected: Promise<void> | undefined;
  let disconnecting: Promise<void> = Promise.resolve();

  function connect(): Promise<void> {
    connected ??= disconnecting
      .then(() => producer.connect())
      .catch((cause) => {
        connected = undefined;
        throw new RetryableOutage("kafka", { cause });
      });
    return connected;
  }

  async function sendBatch(batch: Pending[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const { record } of batch) {
      const messages = byTopic.get(record.topic) ?? [];
      messages.push({ key: record.key, value: record.value, headers: record.headers });
      byTopic.set(record.topic, messages);
    }
    const topicMessages = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new RetryableOutage("kafka", { message: `no broker acknowledgement within ${timeoutMs} ms` })),
        timeoutMs,
      );
    });
    try {
      const send = connect().then(() => producer.sendBatch({ topicMessages, acks: -1 }));
      // After a timeout the send may still settle; keep that late rejection from going unhandled.
      send.catch(() => undefined);
      await Promise.race([send, timeout]);
      for (const pending of batch) pending.resolve();
    } catch (cause) {
      const error = cause instanceof RetryableOutage ? cause : new RetryableOutage("kafka", { cause });
      // Whatever failed, the next batch goes out on a fresh producer: after a timeout the connections may be
      // silently dead (kafkajs would keep waiting on them), and after a broker restart an idempotent producer's
      // id and sequence numbers may no longer match the broker's, which fails every later send the same way.
      // A new producer connects afresh and gets a new producer id; the records it sends carry the same event
      // ids, so a batch that did land before the failure is dropped by consumers as a repeat.
      const failed = producer;
      connected = undefined;
      disconnecting = failed.disconnect().catch(() => undefined);
      producer = newProducer();
      const reason = error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message}` : error.message;
      options.logger.warn({ reason, records: batch.length }, "publish failed");
      for (const pending of batch) pending.reject(error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends until the queue is empty; a second caller joins the drain already running. */
  function drain(): Promise<void> {
    draining ??= (async () => {
      try {
        while (queue.length > 0) {
          const batch = queue.slice(0, maxBatch);
          queue = queue.slice(batch.length);
          await sendBatch(batch);
        }
      } finally {
        draining = undefined;
      }
    })();
    return draining;
  }

  function enqueue(records: OutgoingRecord[]): Promise<void> {
    const done = records.map((record) => new Promise<void>((resolve, reject) => queue.push({ record, resolve, reject })));
    // setImmediate lets every request that arrived in this turn of the event loop join the batch.
    setImmediate(() => void drain());
    return Promise.all(done).then(() => undefined);
  }

  return {
    connect,
    publish: (record) => enqueue([record]),
    publishAll: (records) => (records.length === 0 ? Promise.resolve() : enqueue(records)),
    async close() {
      // Whatever is queued or on the wire settles first, so a graceful stop refuses nothing it accepted.
      while (queue.length > 0 || draining) await drain();
      await producer.disconnect();
    },
  };
}
