import { Writable } from "node:stream";
import { RetryableOutage } from "@clueline/contracts/errors";
import { createTestKafka, createTestTopics, readTopic, testInfra, uniqueName } from "@clueline/testing";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { createPublisherThread } from "./publisher-thread.js";

function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: "info" }, destination), lines };
}

/** A fresh topic and a connected publisher thread on the test broker, logging into `lines`. */
async function openThread(label: string) {
  const kafka = createTestKafka();
  const [topic] = (await createTestTopics(kafka, [label])) as [string];
  const { logger, lines } = capturedLogger();
  const publisher = createPublisherThread({ brokers: testInfra().kafkaBrokers, clientId: uniqueName(label), logger });
  await publisher.connect();
  return { kafka, topic, publisher, lines };
}

describe("publisher on its own thread, against the real broker", () => {
  it("delivers Buffer and string values with keys and headers intact, each caller settled on the broker's ack", async () => {
    const { kafka, topic, publisher } = await openThread("thread");
    try {
      const records = Array.from({ length: 300 }, (_, n) => ({
        topic,
        key: `clue-${n}`,
        value: n % 2 === 0 ? Buffer.from(JSON.stringify({ n, text: "城关镇" })) : JSON.stringify({ n, text: "城关镇" }),
        headers: { ce_id: `id-${n}`, ce_type: "clueline.test" },
      }));
      // Single publishes and a multi-record publishAll in the same turn of the loop.
      await Promise.all([
        ...records.slice(0, 200).map((record) => publisher.publish(record)),
        publisher.publishAll(records.slice(200)),
      ]);
      const read = await readTopic({ kafka, topic, count: 300 });
      expect(read).toHaveLength(300);
      const byKey = new Map(read.map((record) => [record.key, record]));
      for (const n of [0, 1, 199, 200, 299]) {
        const record = byKey.get(`clue-${n}`);
        expect(JSON.parse(String(record?.value))).toEqual({ n, text: "城关镇" });
        expect(record?.headers).toMatchObject({ ce_id: `id-${n}`, ce_type: "clueline.test" });
      }
    } finally {
      await publisher.close();
    }
  });

  it("refuses a record that cannot cross to the thread at once, and goes on publishing", async () => {
    const { kafka, topic, publisher } = await openThread("clone");
    try {
      const bad = { topic, key: "k", value: "v", headers: { ce_id: (() => "x") as unknown as string } };
      const good = publisher.publish({ topic, key: "k", value: "same turn", headers: { ce_id: "ok" } });
      await expect(publisher.publish(bad)).rejects.toThrow(/header values must be strings/);
      await good; // the record published in the same turn is not failed with it
      await publisher.publish({ topic, key: "k", value: "after", headers: { ce_id: "ok" } });
      const values = (await readTopic({ kafka, topic, count: 2 })).map((record) => String(record.value));
      expect(values.sort()).toEqual(["after", "same turn"]);
    } finally {
      await publisher.close();
    }
  });

  it("settles what is in flight before closing, and refuses publishing after", async () => {
    const { kafka, topic, publisher } = await openThread("closing");
    const first = publisher.publish({ topic, key: "a", value: Buffer.from("first"), headers: {} });
    await new Promise((resolve) => setImmediate(resolve)); // the first turn is on its way to the broker
    const inFlight = [
      first,
      ...Array.from({ length: 20 }, (_, n) => publisher.publish({ topic, key: `k${n}`, value: `v${n}`, headers: {} })),
    ];
    await publisher.close();
    const outcomes = await Promise.allSettled(inFlight);
    expect(outcomes.filter((outcome) => outcome.status === "rejected")).toEqual([]);
    expect(await readTopic({ kafka, topic, count: 21 })).toHaveLength(21);
    await expect(publisher.publish({ topic, key: "late", value: "late", headers: {} })).rejects.toBeInstanceOf(RetryableOutage);
  });

  it("refuses with RetryableOutage when no broker answers, and logs the failure through the caller's logger", async () => {
    const { logger, lines } = capturedLogger();
    const publisher = createPublisherThread({
      brokers: ["127.0.0.1:1"],
      clientId: uniqueName("nobroker"),
      logger,
      timeoutMs: 1_500,
    });
    try {
      const outcome = await publisher.publish({ topic: "t-nowhere", key: "k", value: "v", headers: {} }).catch((error) => error);
      expect(outcome).toBeInstanceOf(RetryableOutage);
      await expect.poll(() => lines.some((line) => line.msg === "publish failed" && line.thread === "publisher")).toBe(true);
    } finally {
      await publisher.close();
    }
  });
});
