import { createConsumerRunner, createPublisher, dlqHeaders, type Publisher, replayDeadLetters } from "@clueline/bus";
import { clueRoutedTopic } from "@clueline/contracts";
import type { Database } from "@clueline/db";
import { createMetricsRegistry } from "@clueline/kit";
import { createCapturingLogger, createTestKafka, createTestTopics, readTopic, uniqueName } from "@clueline/testing";
import pino from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { routedFixture } from "../testing/fixtures.js";
import { createTestApp } from "../testing/test-app.js";
import { type TestDatabase, testDatabaseEngines } from "../testing/test-databases.js";
import { countRows, until } from "../testing/until.js";
import { createLedgerBatchHandler } from "./ledger-handlers.js";

const kafka = createTestKafka();
let publisher: Publisher;
beforeAll(async () => {
  publisher = createPublisher({ kafka, logger: pino({ level: "silent" }) });
  await publisher.connect();
});
afterAll(() => publisher.close());

describe.each(testDatabaseEngines())("a dead letter replayed into the ledger on $engine", ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  beforeEach(async () => {
    handle = await open();
    db = handle.db;
  });
  afterEach(() => handle.drop());

  it("is counted, logged by its ids, and applied exactly once after the fault is fixed, however often it is replayed", async () => {
    const [routed] = (await createTestTopics(kafka, ["routed"], 1)) as [string];
    const { logger, lines } = createCapturingLogger("closure");
    const metrics = createMetricsRegistry({ service: "closure" });
    const { app, ledger } = createTestApp(db, { metrics });
    const decisions = [routedFixture(), routedFixture(), routedFixture()];
    const victim = decisions[1]?.decision.clueId as string;
    const clueRows = () => countRows(db, `clues where clue_id = '${victim}'`);
    // The fault: the database refuses this one clue (SQLSTATE 23514, not an outage), as it refused a NUL byte.
    await db.query(`alter table clues add constraint dlq_test_fault check (clue_id <> '${victim}')`);

    const runner = createConsumerRunner({
      kafka,
      publisher,
      logger,
      metrics,
      groupId: uniqueName("closure"),
      topics: [routed],
      retry: { initialMs: 10, maxMs: 50 },
      batchHandler: createLedgerBatchHandler({ ledger, routedTopic: routed }),
    });
    await runner.start();
    try {
      await publisher.publishAll(
        decisions.map((d) => ({
          topic: routed,
          ...clueRoutedTopic.serialize(d, { source: "/clueline/router", id: d.decision.decisionId }),
        })),
      );
      // One at a time after the batch failed: the refused record is dead-lettered before the next one is applied.
      await until("the two other clues", async () => (await countRows(db, "clues")) === 2);
      const [dead, ...more] = await readTopic({ kafka, topic: `${routed}.dlq`, count: 2, timeoutMs: 3_000 });
      expect(more).toEqual([]);
      expect(dead?.key).toBe(victim);
      expect(dead?.headers.ce_id).toBe(decisions[1]?.decision.decisionId);
      expect(dead?.headers[dlqHeaders.errorClass]).toBe("DatabaseError");
      expect(dead?.headers[dlqHeaders.errorCode]).toBe("23514");
      const served = await (await app.request("/metrics")).text();
      expect(served).toMatch(new RegExp(`clueline_dead_letters_total\\{[^}]*topic="${routed}"[^}]*\\} 1\\n`));
      const logged = lines.map((line) => JSON.parse(line)).filter((line) => line.msg === "record dead-lettered");
      expect(logged).toEqual([
        expect.objectContaining({
          level: 50,
          topic: routed,
          key: victim,
          ce_id: dead?.headers.ce_id,
          errorClass: "DatabaseError",
        }),
      ]);
      expect(lines.join("")).not.toContain(decisions[1]?.complaint.text);
      expect(await clueRows()).toBe(0);

      await db.query("alter table clues drop constraint dlq_test_fault");
      const replay = () => replayDeadLetters({ kafka, publisher, topic: routed, select: { all: true } });
      expect(await replay()).toEqual({ replayed: 1, alreadyReplayed: 0 });
      await until("the replayed clue", async () => (await clueRows()) === 1);
      expect(await replay()).toEqual({ replayed: 0, alreadyReplayed: 1 });

      // Three decisions and one replay on the topic, nothing more; each clue opened once, none dead again.
      expect(await readTopic({ kafka, topic: routed, count: 5, timeoutMs: 3_000 })).toHaveLength(4);
      expect(await clueRows()).toBe(1);
      expect(await countRows(db, "ledger_log where event = 'clue.opened'")).toBe(3);
      expect(await countRows(db, "inbox")).toBe(0); // openings keep no inbox row
      expect(await (await app.request("/metrics")).text()).toMatch(/clueline_dead_letters_total\{[^}]*\} 1\n/);
    } finally {
      await runner.stop();
    }
  });
});
