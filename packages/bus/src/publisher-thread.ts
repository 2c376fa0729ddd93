import { Worker } from "node:worker_threads";
import { RetryableOutage } from "@clueline/contracts/errors";
import type { Logger } from "pino";
import type { OutgoingRecord, Publisher } from "./publisher.js";

/** What the publisher thread is started with (structured-cloned into it). */
export interface PublisherThreadData {
  brokers: string[];
  clientId: string;
  logLevel: string;
  timeoutMs?: number;
  maxBatch?: number;
}

export type ToPublisherThread =
  | { op: "connect" | "close"; id: number }
  | { op: "publish"; id: number; records: OutgoingRecord[] };

export type FromPublisherThread =
  | { id: number; ok: true }
  | { id: number; ok: false; retryable: boolean; message: string }
  | { log: string };

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * {@link createPublisher}'s contract with the Kafka client in a worker thread of its own. In an HTTP edge,
 * kafkajs's record encoding, CRCs, socket writes and the garbage they leave took about a sixth of the event
 * loop's time; on a worker they run beside the loop instead of in it. Records published in one turn of the
 * loop cross to the thread in one message, and each caller's promise settles when the broker acknowledged
 * (acks = all) or the send failed: a {@link RetryableOutage} stays one, so an edge still answers 503.
 * If the thread dies, everything it held is refused as an outage and the next publish starts a new one.
 *
 * @example
 * const publisher = createPublisherThread({ brokers, clientId: "hotline", logger });
 * await publisher.connect();
 */
export function createPublisherThread(options: {
  brokers: string[];
  clientId: string;
  logger: Logger;
  timeoutMs?: number;
  maxBatch?: number;
}): Publisher {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const log = options.logger.child({ thread: "publisher" });
  const waiting = new Map<number, Waiter>();
  let worker: Worker | undefined;
  let nextId = 1;
  let turn: { records: OutgoingRecord[]; waiters: Waiter[] } | undefined;

  function start(): Worker {
    const data: PublisherThreadData = {
      brokers: options.brokers,
      clientId: options.clientId,
      logLevel: options.logger.level,
      timeoutMs,
      maxBatch: options.maxBatch,
    };
    const fromSource = import.meta.url.endsWith(".ts");
    const entry = new URL(`./publisher-thread-worker.${fromSource ? "ts" : "js"}`, import.meta.url);
    // The thread's heap holds only batches on the wire; without a cap V8 sizes it for the whole machine and an
    // edge's resident memory grows by tens of megabytes of uncollected garbage.
    const resourceLimits = { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 };
    const thread = fromSource
      ? new Worker(new URL("./source-worker-boot.mjs", import.meta.url), {
          workerData: { ...data, entry: entry.href },
          execArgv: ["--conditions=source"],
          resourceLimits,
        })
      : new Worker(entry, { workerData: data, resourceLimits });
    thread.on("message", (message: FromPublisherThread) => {
      if ("log" in message) return relayLog(message.log);
      const waiter = waiting.get(message.id);
      waiting.delete(message.id);
      if (!waiter) return;
      if (message.ok) waiter.resolve();
      else
        waiter.reject(
          message.retryable ? new RetryableOutage("kafka", { message: message.message }) : new Error(message.message),
        );
    });
    thread.on("error", (error) => log.error({ err: error }, "publisher thread failed"));
    thread.on("exit", (code) => {
      if (worker === thread) worker = undefined;
      if (waiting.size > 0) {
        const outage = new RetryableOutage("kafka", { message: `publisher thread exited (code ${code})` });
        for (const waiter of waiting.values()) waiter.reject(outage);
        waiting.clear();
      }
    });
    return thread;
  }

  /** A line the thread's pino wrote, logged again through this service's logger (and its redaction). */
  function relayLog(line: string) {
    try {
      const { level, msg, ...fields } = JSON.parse(line) as { level: number; msg?: string } & Record<string, unknown>;
      const label = options.logger.levels.labels[level] ?? "info";
      (log[label as "info"] ?? log.info).call(log, fields, msg);
    } catch {
      log.warn("unreadable log line from the publisher thread");
    }
  }

  function ask(message: ToPublisherThread): Promise<void> {
    worker ??= start();
    const thread = worker;
    return new Promise<void>((resolve, reject) => {
      // The thread answers within its own send timeout; this guard only covers a thread that stopped answering.
      const timer = setTimeout(() => {
        if (waiting.delete(message.id))
          reject(new RetryableOutage("kafka", { message: `publisher thread did not answer within ${timeoutMs * 2} ms` }));
      }, timeoutMs * 2);
      waiting.set(message.id, {
        resolve() {
          clearTimeout(timer);
          resolve();
        },
        reject(error) {
          clearTimeout(timer);
          reject(error);
        },
      });
      try {
        thread.postMessage(message);
      } catch (error) {
        // A record that cannot be cloned (not a string, Buffer or plain headers) is refused here and now.
        waiting.get(message.id)?.reject(error);
        waiting.delete(message.id);
      }
    });
  }

  function flush() {
    const current = turn;
    turn = undefined;
    if (!current) return;
    ask({ op: "publish", id: nextId++, records: current.records }).then(
      () => {
        for (const waiter of current.waiters) waiter.resolve();
      },
      (error) => {
        for (const waiter of current.waiters) waiter.reject(error);
      },
    );
  }

  function publishAll(records: OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      if (!turn) {
        turn = { records: [], waiters: [] };
        setImmediate(flush);
      }
      for (const record of records) turn.records.push(record);
      turn.waiters.push({ resolve, reject });
    });
  }

  return {
    connect: () => ask({ op: "connect", id: nextId++ }),
    publish: (record) => publishAll([record]),
    publishAll,
    async close() {
      flush();
      if (!worker) return;
      const thread = worker;
      try {
        await ask({ op: "close", id: nextId++ });
      } finally {
        await thread.terminate();
      }
    },
  };
}
