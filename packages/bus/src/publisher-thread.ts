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
  let current: Thread | undefined;
  let nextId = 1;
  let turn: { records: OutgoingRecord[]; waiters: Waiter[] } | undefined;
  let closed = false;

  /** A worker and the answers it owes: when it exits, only its own callers are refused. */
  interface Thread {
    worker: Worker;
    waiting: Map<number, Waiter>;
  }

  function start(): Thread {
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
    const worker = fromSource
      ? new Worker(new URL("./source-worker-boot.mjs", import.meta.url), {
          workerData: { ...data, entry: entry.href },
          execArgv: ["--conditions=source"],
          resourceLimits,
        })
      : new Worker(entry, { workerData: data, resourceLimits });
    const thread: Thread = { worker, waiting: new Map() };
    worker.on("message", (message: FromPublisherThread) => {
      if ("log" in message) return relayLog(message.log);
      const waiter = thread.waiting.get(message.id);
      thread.waiting.delete(message.id);
      if (!waiter) return;
      if (message.ok) waiter.resolve();
      else
        waiter.reject(
          message.retryable ? new RetryableOutage("kafka", { message: message.message }) : new Error(message.message),
        );
    });
    worker.on("error", (error) => log.error({ err: error }, "publisher thread failed"));
    worker.on("exit", (code) => {
      if (current === thread) current = undefined;
      const outage = new RetryableOutage("kafka", { message: `publisher thread exited (code ${code})` });
      for (const waiter of thread.waiting.values()) waiter.reject(outage);
      thread.waiting.clear();
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
    return new Promise<void>((resolve, reject) => {
      let thread: Thread;
      try {
        current ??= start();
        thread = current;
      } catch (error) {
        return reject(new RetryableOutage("kafka", { cause: error, message: "the publisher thread could not start" }));
      }
      // The thread answers within its own send timeout. A thread that stops answering is replaced: terminating it
      // refuses everything it still holds, so nothing it held can be published after its callers heard "no".
      const timer = setTimeout(() => {
        log.error({ waitedMs: timeoutMs * 2 }, "publisher thread did not answer; replacing it");
        void thread.worker.terminate();
      }, timeoutMs * 2);
      thread.waiting.set(message.id, {
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
        thread.worker.postMessage(message);
      } catch (error) {
        thread.waiting.get(message.id)?.reject(error);
        thread.waiting.delete(message.id);
      }
    });
  }

  function flush() {
    const due = turn;
    turn = undefined;
    if (!due) return;
    ask({ op: "publish", id: nextId++, records: due.records }).then(
      () => {
        for (const waiter of due.waiters) waiter.resolve();
      },
      (error) => {
        for (const waiter of due.waiters) waiter.reject(error);
      },
    );
  }

  function publishAll(records: OutgoingRecord[]): Promise<void> {
    if (closed) return Promise.reject(new RetryableOutage("kafka", { message: "the publisher is closed" }));
    if (records.length === 0) return Promise.resolve();
    let crossing: OutgoingRecord[];
    try {
      crossing = records.map(forTheThread);
    } catch (error) {
      // Refused here, alone: the other callers of this turn are not failed with it.
      return Promise.reject(error);
    }
    return new Promise<void>((resolve, reject) => {
      if (!turn) {
        turn = { records: [], waiters: [] };
        setImmediate(flush);
      }
      for (const record of crossing) turn.records.push(record);
      turn.waiters.push({ resolve, reject });
    });
  }

  return {
    connect: () =>
      closed
        ? Promise.reject(new RetryableOutage("kafka", { message: "the publisher is closed" }))
        : ask({ op: "connect", id: nextId++ }),
    publish: (record) => publishAll([record]),
    publishAll,
    async close() {
      closed = true;
      flush();
      const thread = current;
      if (!thread) return;
      try {
        await ask({ op: "close", id: nextId++ });
      } finally {
        await thread.worker.terminate();
      }
    },
  };
}

/**
 * A record as it crosses to the thread. Structured cloning copies a Buffer's whole backing store, and a small
 * Buffer is usually a view of Node's shared 8 KB pool: such a value is copied out alone first. Anything that
 * could not cross (a value that is not text or bytes, a header that is not text) is refused here, with a TypeError.
 */
function forTheThread(record: OutgoingRecord): OutgoingRecord {
  for (const value of Object.values(record.headers)) {
    if (typeof value !== "string") throw new TypeError(`header values must be strings (topic ${record.topic})`);
  }
  const { value } = record;
  if (value === null || typeof value === "string") return record;
  if (!(value instanceof Uint8Array))
    throw new TypeError(`a record value must be a string, bytes or null (topic ${record.topic})`);
  if (value.byteLength === value.buffer.byteLength) return record;
  const own = new Uint8Array(value); // a copy with a backing store of its own size
  return { topic: record.topic, key: record.key, value: Buffer.from(own.buffer), headers: record.headers };
}
