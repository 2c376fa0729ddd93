// Readiness probe for the Kafka broker, used by infra/up.sh.
//
// "The port is open" is not "ready": a fresh KRaft broker accepts connections
// before it has a leader for new partitions, and the first consumer group has to
// wait for __consumer_offsets to be created. The services need both, so this
// probe does what they will do: create a topic, join a consumer group, then
// clean up. It retries the whole sequence until the deadline.
//
// Usage: node infra/kafka-ready.mjs <host:port> [timeoutSeconds]
// Exit code 0 = ready; 1 = not ready before the deadline (last error on stderr).

import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";

// Resolve kafkajs from the repository root (the script may be run from anywhere).
const require = createRequire(new URL("../package.json", import.meta.url));
const { Kafka, logLevel } = require("kafkajs");

const broker = process.argv[2] ?? "127.0.0.1:19092";
const timeoutMs = Number(process.argv[3] ?? 90) * 1000;
const deadline = Date.now() + timeoutMs;

const kafka = new Kafka({
  clientId: "clueline-infra-ready",
  brokers: [broker],
  logLevel: logLevel.NOTHING,
  connectionTimeout: 3000,
  requestTimeout: 10000,
  retry: { retries: 2, initialRetryTime: 200 },
});

async function probeOnce() {
  const topic = `__clueline_ready_${randomUUID()}`;
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const consumer = kafka.consumer({
      groupId: `${topic}-group`,
      sessionTimeout: 10000,
      rebalanceTimeout: 10000,
      // short fetch long-poll: disconnect() waits for the one in flight
      maxWaitTimeInMs: 100,
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const joined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
      await consumer.run({ eachMessage: async () => {} });
      await Promise.race([
        joined,
        new Promise((_, reject) => setTimeout(() => reject(new Error("consumer group join timed out")), 20000)),
      ]);
    } finally {
      await consumer.disconnect().catch(() => {});
    }
    await admin.deleteGroups([`${topic}-group`]).catch(() => {});
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin.disconnect().catch(() => {});
  }
}

let lastError;
let attempt = 0;
while (Date.now() < deadline) {
  attempt += 1;
  try {
    await probeOnce();
    process.exit(0);
  } catch (err) {
    lastError = err;
    await new Promise((r) => setTimeout(r, 500));
  }
}
console.error(`kafka at ${broker} not ready after ${attempt} attempts: ${lastError?.stack ?? lastError}`);
process.exit(1);
