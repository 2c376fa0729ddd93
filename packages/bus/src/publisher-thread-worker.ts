import { parentPort, workerData } from "node:worker_threads";
import { RetryableOutage } from "@clueline/contracts/errors";
import pino from "pino";
import { createKafka } from "./kafka.js";
import { createPublisher, type OutgoingRecord } from "./publisher.js";
import type { FromPublisherThread, PublisherThreadData, ToPublisherThread } from "./publisher-thread.js";

// The thread side of createPublisherThread: an ordinary in-thread publisher (batching, idempotent producer,
// timeouts, a fresh producer after a failed batch) driven by messages; its log lines go back to the parent,
// which writes them through the service's own logger.
const port = parentPort;
if (!port) throw new Error("publisher-thread-worker runs only as a worker thread");
const data = workerData as PublisherThreadData;
const post = (message: FromPublisherThread) => port.postMessage(message);
const logger = pino(
  { level: data.logLevel, base: undefined, timestamp: false },
  { write: (line: string) => post({ log: line }) },
);
const publisher = createPublisher({
  kafka: createKafka({ brokers: data.brokers, clientId: data.clientId, logger }),
  logger,
  timeoutMs: data.timeoutMs,
  maxBatch: data.maxBatch,
});

/** A Buffer crosses the thread boundary as a plain Uint8Array; kafkajs wants a Buffer again (a view, no copy). */
function revive(record: OutgoingRecord): OutgoingRecord {
  const { value } = record;
  if (value === null || typeof value === "string" || Buffer.isBuffer(value)) return record;
  const bytes = value as Uint8Array;
  return { ...record, value: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

function answer(id: number, work: Promise<void>) {
  work.then(
    () => post({ id, ok: true }),
    (error: unknown) =>
      post({
        id,
        ok: false,
        retryable: error instanceof RetryableOutage,
        message: error instanceof Error ? error.message : String(error),
      }),
  );
}

port.on("message", (message: ToPublisherThread) => {
  if (message.op === "publish") answer(message.id, publisher.publishAll(message.records.map(revive)));
  else if (message.op === "connect") answer(message.id, publisher.connect());
  else answer(message.id, publisher.close());
});
