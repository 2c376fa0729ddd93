import { PoisonRecord, RetryableOutage } from "@clueline/contracts/errors";
import type { Consumer, Kafka } from "kafkajs";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { type ConsumedRecord, toConsumedRecord } from "./consumed-record.js";
import { errorClassOf, errorCodeOf, toDeadLetter } from "./dead-letter.js";
import { createDeadLetterReport } from "./dead-letter-report.js";
import type { Publisher } from "./publisher.js";

export type RecordHandler = (record: ConsumedRecord, context: { logger: Logger; attempt: number }) => Promise<void>;

/**
 * Handles the records of fetched batches together: one topic (or several, see `coalesceAcrossTopics`), one or more
 * partitions (each partition's records in offset order, see `coalesceUpTo`). It reports the records it refuses as poison instead of throwing for them;
 * throwing fails the whole batch (retried, not committed).
 */
export type BatchHandler = (
  records: ConsumedRecord[],
  context: { logger: Logger; attempt: number },
) => Promise<{ poisoned: { record: ConsumedRecord; error: unknown }[] }>;

export interface ConsumerRunner {
  /** Resolves once the consumer joined its group and was given partitions. */
  start(): Promise<void>;
  /** Finishes the record in hand, commits what succeeded, leaves the group. */
  stop(): Promise<void>;
}

export interface RetryPolicy {
  initialMs: number;
  maxMs: number;
  /** An error that is neither poison nor a known outage is a bug or a surprise: try this often, then dead-letter. */
  unexpectedAttempts: number;
}

class Stopping extends Error {
  override readonly name = "Stopping";
}

/**
 * Runs a batch handler over the records of each fetch. Records it reports as poison (or that it keeps failing on
 * unexpectedly, found by retrying the batch one record at a time) go to `<topic>.dlq` with their error and the
 * consumer goes on; a {@link RetryableOutage} is retried with backoff for as long as it lasts, and no offset of the
 * batch is committed meanwhile. Delivery is at least once: handlers dedupe by event id. Every dead letter is counted
 * in `clueline_dead_letters_total{topic}` on `metrics` and logged at error level with its ids (see
 * {@link createDeadLetterReport}).
 *
 * @example
 * const runner = createConsumerRunner({ kafka, publisher, logger, metrics, groupId: "router",
 *   topics: [topicNames.hotlineReceived], batchHandler: createChannelBatchHandler({ … }) });
 * await runner.start();
 */
export function createConsumerRunner(options: {
  kafka: Kafka;
  publisher: Publisher;
  logger: Logger;
  /** The registry the service serves on `/metrics`: dead letters are counted there. */
  metrics: Registry;
  groupId: string;
  topics: string[];
  /** A fetched batch at a time, for throughput (one transaction and one publish per batch). */
  batchHandler: BatchHandler;
  fromBeginning?: boolean;
  partitionsConsumedConcurrently?: number;
  /**
   * Batches of one topic that kafkajs hands over in the same turn (the partitions of one fetch) are
   * handled as one, up to this many records (1: never). Default 1,000.
   */
  coalesceUpTo?: number;
  /**
   * Merge the batches of every subscribed topic handed over in the same turn, not only one topic's
   * (default false). Only for a batch handler that takes records of mixed topics.
   */
  coalesceAcrossTopics?: boolean;
  retry?: Partial<RetryPolicy>;
}): ConsumerRunner {
  const retry: RetryPolicy = { initialMs: 100, maxMs: 5_000, unexpectedAttempts: 3, ...options.retry };
  const logger = options.logger.child({ groupId: options.groupId });
  // On the group's logger, not a record's or batch's child: their topic/partition/offset would repeat as keys.
  const reportDeadLetters = createDeadLetterReport({ metrics: options.metrics, logger });
  // The broker is asked to hold a fetch until 64 KiB are there or 100 ms passed: at moderate rates
  // this turns one transaction per record into one per hundred, which is what the stages cost per complaint
  // (measured in bench/system.mjs), at the price of ≤ 100 ms added latency.
  const batching = { minBytes: 64 * 1024, maxWaitTimeInMs: 100 };
  // A member that died without leaving (kill -9, a lost host) holds its partitions until its session times out;
  // kafkajs' default of 30 s kept a restarted router or closure idle that long. 10 s is still several times any
  // batch's handling between heartbeats (the retry loop heartbeats too), and above the broker's 6 s minimum.
  const consumer: Consumer = options.kafka.consumer({
    groupId: options.groupId,
    allowAutoTopicCreation: false,
    sessionTimeout: 10_000,
    heartbeatInterval: 3_000,
    ...batching,
  });
  const stopping = new AbortController();

  function pause(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (stopping.signal.aborted) return reject(new Stopping());
      const onAbort = () => {
        clearTimeout(timer);
        reject(new Stopping());
      };
      const timer = setTimeout(() => {
        stopping.signal.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      stopping.signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  async function handle(record: ConsumedRecord, heartbeat: () => Promise<void>, handler: RecordHandler): Promise<void> {
    const log = logger.child({ topic: record.topic, partition: record.partition, offset: record.offset });
    for (let attempt = 1; ; attempt++) {
      if (stopping.signal.aborted) throw new Stopping("stopping: record left uncommitted for the next owner");
      try {
        await handler(record, { logger: log, attempt });
        return;
      } catch (error) {
        const poison = error instanceof PoisonRecord;
        const outage = error instanceof RetryableOutage;
        if (poison || (!outage && attempt >= retry.unexpectedAttempts)) {
          await options.publisher.publish(toDeadLetter({ record, error, groupId: options.groupId }));
          reportDeadLetters([{ record, error }]);
          return;
        }
        const delay = Math.min(retry.maxMs, retry.initialMs * 2 ** (attempt - 1));
        log.warn({ errorClass: errorClassOf(error), errorCode: errorCodeOf(error), attempt, delay }, "retrying record");
        await pause(delay);
        await heartbeat();
      }
    }
  }

  async function handleBatch(params: {
    records: ConsumedRecord[];
    batchHandler: BatchHandler;
    heartbeat: () => Promise<void>;
  }): Promise<void> {
    const { records, batchHandler, heartbeat } = params;
    const first = records[0];
    const topics = [...new Set(records.map((record) => record.topic))];
    const partitions = [...new Set(records.map((record) => record.partition))];
    const log = logger.child({
      ...(topics.length > 1
        ? { topics, topicPartitions: [...new Set(records.map((record) => `${record.topic}:${record.partition}`))] }
        : partitions.length > 1
          ? { topic: first?.topic, partitions }
          : { topic: first?.topic, partition: first?.partition, offset: first?.offset }),
      size: records.length,
    });
    for (let attempt = 1; ; attempt++) {
      if (stopping.signal.aborted) throw new Stopping("stopping: batch left uncommitted for the next owner");
      try {
        const { poisoned } = await batchHandler(records, { logger: log, attempt });
        await options.publisher.publishAll(
          poisoned.map(({ record, error }) => toDeadLetter({ record, error, groupId: options.groupId })),
        );
        reportDeadLetters(poisoned);
        return;
      } catch (error) {
        if (!(error instanceof RetryableOutage) && attempt >= retry.unexpectedAttempts) {
          // Something in the batch is wrong in a way nobody foresaw: find it by going one record at a time.
          for (const record of records) {
            await handle(record, heartbeat, async (single, context) => {
              const { poisoned } = await batchHandler([single], context);
              if (poisoned[0]) throw poisoned[0].error;
            });
          }
          return;
        }
        const delay = Math.min(retry.maxMs, retry.initialMs * 2 ** (attempt - 1));
        log.warn({ errorClass: errorClassOf(error), errorCode: errorCodeOf(error), attempt, delay }, "retrying batch");
        await pause(delay);
        await heartbeat();
      }
    }
  }

  // At moderate rates a fetch brings a few records for each partition, and each partition's batch cost a transaction
  // and a publish of its own: per-batch costs, not per-record work, were what the router and closure spent (and
  // most of what PostgreSQL did). Batches of one topic that arrive in the same turn of the event loop (kafkajs starts
  // a fetch's partitions together) are handled as one, up to `coalesceUpTo` records; a batch that big alone is
  // handled as it came. Each partition's offset is still resolved and committed only after the whole merged
  // batch succeeded.
  // The router's handler takes any channel topic, so there a fetch's hotline, intake and media batches merge too.
  const coalesceUpTo = options.coalesceUpTo ?? 1_000;
  const gatheringKey = (topic: string) => (options.coalesceAcrossTopics ? "*" : topic);
  interface Gathering {
    records: ConsumedRecord[];
    heartbeat: () => Promise<void>;
    settled: { resolve: () => void; reject: (error: unknown) => void }[];
  }
  const gathering = new Map<string, Gathering>();

  function handleCoalesced(params: {
    topic: string;
    records: ConsumedRecord[];
    batchHandler: BatchHandler;
    heartbeat: () => Promise<void>;
  }): Promise<void> {
    const { topic, records, batchHandler, heartbeat } = params;
    if (coalesceUpTo <= 1 || records.length >= coalesceUpTo) return handleBatch({ records, batchHandler, heartbeat });
    const key = gatheringKey(topic);
    return new Promise<void>((resolve, reject) => {
      let open = gathering.get(key);
      if (!open || open.records.length + records.length > coalesceUpTo) {
        const started: Gathering = { records: [], heartbeat, settled: [] };
        open = started;
        gathering.set(key, started);
        setImmediate(() => {
          if (gathering.get(key) === started) gathering.delete(key);
          handleBatch({ records: started.records, batchHandler, heartbeat: started.heartbeat }).then(
            () => {
              for (const waiter of started.settled) waiter.resolve();
            },
            (error: unknown) => {
              for (const waiter of started.settled) waiter.reject(error);
            },
          );
        });
      }
      open.records.push(...records);
      open.settled.push({ resolve, reject });
    });
  }

  return {
    async start() {
      const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
      await consumer.connect();
      await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning ?? true });
      const { batchHandler } = options;
      const partitionsConsumedConcurrently = options.partitionsConsumedConcurrently ?? 1;
      await consumer.run({
        partitionsConsumedConcurrently,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary }) => {
          const records = batch.messages.map((message) =>
            toConsumedRecord({ topic: batch.topic, partition: batch.partition, message }),
          );
          if (records.length === 0) return;
          await handleCoalesced({ topic: batch.topic, records, batchHandler, heartbeat });
          resolveOffset(batch.lastOffset());
          await commitOffsetsIfNecessary();
        },
      });
      await joined;
    },
    async stop() {
      stopping.abort();
      await consumer.disconnect();
    },
  };
}
