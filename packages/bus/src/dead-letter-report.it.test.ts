import { PoisonRecord } from "@clueline/contracts/errors";
import { createCapturingLogger, createTestKafka, createTestTopics, readTopic, uniqueName } from "@clueline/testing";
import pino from "pino";
import { type Counter, Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumerRunner } from "./consumer-runner.js";
import { dlqHeaders } from "./dead-letter.js";
import { deadLettersMetric } from "./dead-letter-report.js";
import { createPublisher, type Publisher } from "./publisher.js";

const kafka = createTestKafka();
let publisher: Publisher;
beforeAll(async () => {
  publisher = createPublisher({ kafka, logger: pino({ level: "silent" }) });
  await publisher.connect();
});
afterAll(() => publisher.close());

// What a reporter might have written: it must reach the dead letter's value and nothing else.
const content = "张三 13800138000";
const record = (topic: string, n: number) => ({
  topic,
  key: `clue-${n}`,
  value: JSON.stringify({ n, text: content }),
  headers: { ce_specversion: "1.0", ce_id: `id-${n}`, ce_type: "clueline.test", "content-type": "application/json" },
});
const numberOf = (value: Buffer | null) => JSON.parse(value?.toString() ?? "{}").n as number;

/** A driver error as pg makes them: named "error", a SQLSTATE code, a message that quotes the refused value. */
class DatabaseError extends Error {
  override name = "error";
  readonly code = "23514";
}

async function deadLetterCounts(registry: Registry): Promise<Record<string, number>> {
  const counter = registry.getSingleMetric(deadLettersMetric) as Counter<"topic">;
  const { values } = await counter.get();
  return Object.fromEntries(values.map((v) => [String(v.labels.topic), v.value]));
}

function deadLetterLines(lines: string[]): Record<string, unknown>[] {
  return lines.map((line) => JSON.parse(line)).filter((line) => line.msg === "record dead-lettered");
}

function until(predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (predicate()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error("condition not met in time"));
      setTimeout(tick, 50);
    };
    tick();
  });
}

describe("dead letters are incidents", () => {
  it("counts each dead letter per topic and logs it at error level with its ids, never its content", async () => {
    const [topic] = (await createTestTopics(kafka, ["incident"], 1)) as [string];
    const { logger, lines } = createCapturingLogger();
    const metrics = new Registry();
    const handled: number[] = [];
    const runner = createConsumerRunner({
      kafka,
      publisher,
      logger,
      metrics,
      groupId: uniqueName("group"),
      topics: [topic],
      batchHandler: async (records) => {
        const poisoned = [];
        for (const r of records) {
          const n = numberOf(r.value);
          // A reason and a message that quote the input, as a careless refinement would.
          const problems = [{ path: "text", reason: `unexpected ${content}` }];
          if (n === 1) poisoned.push({ record: r, error: new PoisonRecord(`bad clue: ${content}`, { problems }) });
          else handled.push(n);
        }
        return { poisoned };
      },
    });
    await runner.start();
    await publisher.publishAll([0, 1, 2].map((n) => record(topic, n)));
    await until(() => handled.length === 2);
    await runner.stop();

    const [dead] = await readTopic({ kafka, topic: `${topic}.dlq`, count: 1 });
    expect(numberOf(dead?.value ?? null)).toBe(1);
    expect(await deadLetterCounts(metrics)).toEqual({ [topic]: 1 });
    expect(await metrics.metrics()).toContain(`${deadLettersMetric}{topic="${topic}"} 1`);
    const [line, ...more] = deadLetterLines(lines);
    expect(more).toEqual([]);
    expect(line).toMatchObject({
      level: 50,
      topic,
      partition: 0,
      offset: "1",
      ce_id: "id-1",
      ce_type: "clueline.test",
      key: "clue-1",
      errorClass: "PoisonRecord",
      problemPaths: ["text"],
    });
    expect(lines.join("")).not.toContain("张三");
    expect(lines.join("")).not.toContain("13800138000");
  });

  it("counts and logs a batch's poison and a record the database keeps refusing, once each", async () => {
    const [topic] = (await createTestTopics(kafka, ["incident-batch"], 1)) as [string];
    const { logger, lines } = createCapturingLogger();
    const metrics = new Registry();
    const applied = new Set<number>();
    const runner = createConsumerRunner({
      kafka,
      publisher,
      logger,
      metrics,
      groupId: uniqueName("group"),
      topics: [topic],
      retry: { initialMs: 10, maxMs: 20 },
      batchHandler: async (records) => {
        if (records.some((r) => numberOf(r.value) === 1)) {
          throw new DatabaseError(`new row violates check constraint: "${content}"`);
        }
        const poisoned = records
          .filter((r) => numberOf(r.value) === 3)
          .map((r) => ({ record: r, error: new PoisonRecord(content) }));
        for (const r of records) if (numberOf(r.value) !== 3) applied.add(numberOf(r.value));
        return { poisoned };
      },
    });
    await runner.start();
    await publisher.publishAll([0, 1, 2, 3, 4].map((n) => record(topic, n)));
    await until(() => applied.size === 3);
    const dead = await readTopic({ kafka, topic: `${topic}.dlq`, count: 2 });
    await runner.stop();

    expect(dead.map((r) => numberOf(r.value)).sort()).toEqual([1, 3]);
    const refused = dead.find((r) => numberOf(r.value) === 1);
    expect(refused?.headers[dlqHeaders.errorClass]).toBe("DatabaseError");
    expect(refused?.headers[dlqHeaders.errorCode]).toBe("23514");
    expect(await deadLetterCounts(metrics)).toEqual({ [topic]: 2 });
    const logged = deadLetterLines(lines);
    expect(logged.map((line) => [line.key, line.errorClass, line.errorCode]).sort()).toEqual([
      ["clue-1", "DatabaseError", "23514"],
      ["clue-3", "PoisonRecord", null],
    ]);
    expect(lines.join("")).not.toContain("13800138000");
  });
});
