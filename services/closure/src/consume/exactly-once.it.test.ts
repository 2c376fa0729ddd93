import { createConsumerRunner, createPublisher, dlqHeaders, type Publisher, toConsumedRecord } from "@clueline/bus";
import { clueRoutedTopic, feedbackTopic, lifecycleTopic } from "@clueline/contracts";
import type { Database } from "@clueline/db";
import { createMetricsRegistry } from "@clueline/kit";
import { createTestKafka, createTestTopics, readTopic, uniqueName } from "@clueline/testing";
import pino from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createOutboxRelay } from "../outbox/outbox-relay.js";
import { createTestLedger, eventKey, routedFixture } from "../testing/fixtures.js";
import { type TestDatabase, testDatabaseEngines } from "../testing/test-databases.js";
import { countRows, until } from "../testing/until.js";
import { createLedgerBatchHandler, createRoutedHandler } from "./ledger-handlers.js";

const logger = pino({ level: "silent" });
const kafka = createTestKafka();
const source = "/clueline/closure-test";
let publisher: Publisher;
beforeAll(async () => {
  publisher = createPublisher({ kafka, logger });
  await publisher.connect();
});
afterAll(() => publisher.close());

async function ledgerEventIds(db: Database): Promise<string[]> {
  const { rows } = await db.query<{ event_id: string }>(
    "select event_id from ledger_log where stream = 'lifecycle' order by seq, part",
  );
  return rows.map((row) => row.event_id);
}

describe.each(testDatabaseEngines())("exactly once in effect on $engine", ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  beforeEach(async () => {
    handle = await open();
    db = handle.db;
  });
  afterEach(() => handle.drop());

  it("survives a crash in the middle of a batch with no double effect and no lost event", async () => {
    const [routed, lifecycle, audit] = (await createTestTopics(kafka, ["routed", "lifecycle", "audit"], 2)) as [
      string,
      string,
      string,
    ];
    const { ledger } = createTestLedger(db);
    const handler = createRoutedHandler({ ledger });
    const decisions = Array.from({ length: 40 }, () => routedFixture());
    const records = decisions.map((d) => ({
      topic: routed,
      ...clueRoutedTopic.serialize(d, { source: "/clueline/router", id: d.decision.decisionId }),
    }));
    // The router re-publishes a few decisions after its own restart: same ce_id, to be deduped.
    await publisher.publishAll([...records, ...records.slice(0, 10)]);

    // First life: applies 15 records (each ledger transaction commits) and dies before any offset commit and
    // before the relay ran, exactly where a crash hurts most.
    const groupId = uniqueName("closure");
    const doomed = kafka.consumer({ groupId });
    await doomed.connect();
    await doomed.subscribe({ topic: routed, fromBeginning: true });
    let applied = 0;
    await new Promise<void>((resolve) => {
      void doomed.run({
        autoCommit: false,
        eachMessage: async ({ topic, partition, message }) => {
          if (applied >= 15) return;
          await handler(toConsumedRecord({ topic, partition, message }), { logger, attempt: 1 });
          applied += 1;
          if (applied === 15) resolve();
        },
      });
    });
    await doomed.disconnect();
    const afterCrash = await countRows(db, "clues");
    expect(afterCrash).toBeGreaterThan(0);
    expect(afterCrash).toBeLessThanOrEqual(15);

    // Second life: the real runner and relay, same group: everything is delivered again from offset 0.
    const runner = createConsumerRunner({
      kafka,
      publisher,
      logger,
      metrics: createMetricsRegistry({ service: "closure" }),
      groupId,
      topics: [routed],
      batchHandler: createLedgerBatchHandler({ ledger, routedTopic: routed }),
    });
    const relay = createOutboxRelay({
      db,
      publisher,
      logger,
      topics: { lifecycle, audit },
      source,
      instanceId: "second",
      intervalMs: 20,
    });
    await runner.start();
    relay.start();
    await until("all 40 clues", async () => (await countRows(db, "clues")) === 40);
    await until("the outbox to drain", async () => (await countRows(db, "ledger_outbox_statements")) === 0);
    await runner.stop();
    await relay.stop();

    expect(await countRows(db, "inbox")).toBe(0); // openings keep no inbox row: each clue row is its opening's record
    expect(await countRows(db, "ledger_log where event = 'clue.opened'")).toBe(40);
    expect(await countRows(db, "assignments")).toBe(80);
    const ids = await ledgerEventIds(db);
    const published = await readTopic({ kafka, topic: lifecycle, count: ids.length });
    const parsed = published.map((record) => lifecycleTopic.parse(record));
    expect(new Set(parsed.map((event) => event.attributes.id))).toEqual(new Set(ids));
    expect(parsed.every((event) => event.attributes.source === source)).toBe(true);
  });

  it("re-sends, with the same ids, what the relay published but died before marking", async () => {
    const [lifecycle, audit] = (await createTestTopics(kafka, ["lifecycle", "audit"], 1)) as [string, string];
    const { ledger } = createTestLedger(db);
    for (let n = 0; n < 5; n++) await ledger.applyRouted({ key: eventKey(), routed: routedFixture() });
    const ids = await ledgerEventIds(db);
    // The database refuses the "mark sent" statement once: the process died right after the broker's ack.
    const dying: Database = {
      ...db,
      query: (sql, params) =>
        sql.includes("delete from ledger_outbox_statements")
          ? Promise.reject(new Error("process killed"))
          : db.query(sql, params),
    };
    const topics = { lifecycle, audit };
    const first = createOutboxRelay({ db: dying, publisher, logger, topics, source, instanceId: "first" });
    await expect(first.relayOnce()).rejects.toThrow("process killed");
    // A clue's opening and its assignments are one row of the outbox (migration 013): every event still listed.
    expect(await countRows(db, "ledger_log where seq in (select unnest(seqs) from ledger_outbox_statements)")).toBe(ids.length);
    const second = createOutboxRelay({ db, publisher, logger, topics, source, instanceId: "second" });
    expect(await second.relayOnce()).toBe(ids.length);
    expect(await second.relayOnce()).toBe(0);

    const published = await readTopic({ kafka, topic: lifecycle, count: ids.length * 2 });
    expect(published).toHaveLength(ids.length * 2);
    const seen = published.map((record) => record.headers.ce_id);
    expect(new Set(seen)).toEqual(new Set(ids));
    // Per clue, both copies keep the ledger's order.
    const firstCopy = published.slice(0, ids.length).map((record) => record.headers.ce_id);
    expect(firstCopy).toEqual(ids);
  });

  it("relays what the outbox lists reading only those events, even on a generic plan (not the whole ledger)", async () => {
    const [lifecycle, audit] = (await createTestTopics(kafka, ["lifecycle", "audit"], 1)) as [string, string];
    // 5,000 events already sent, then 3 still listed.
    await db.query(
      `insert into ledger_events (event_id, stream, event, payload, occurred_at)
       select 'sent-' || n, 'audit', 'identity.decrypted', '{}', now() from generate_series(1, 5000) n`,
    );
    await db.query("delete from ledger_outbox_statements");
    const { ledger } = createTestLedger(db);
    await ledger.applyRouted({ key: eventKey(), routed: routedFixture() });
    // Log rows listed, counted on the outbox alone: a read of ledger_events here would count in the reads below.
    const listed = await countRows(db, "ledger_outbox_statements, unnest(seqs)");
    expect(listed).toBeGreaterThan(0);
    // The listed row is the clue's opening with its assignments folded in (migration 013): one event for each.
    const events = 1 + (await countRows(db, "assignments"));
    const { relayed, eventRowsRead } = await db.transaction(async (tx) => {
      // A prepared statement's plan once PostgreSQL stops planning it per call: the limit unknown.
      await tx.query("set local plan_cache_mode = force_generic_plan");
      const relay = createOutboxRelay({
        db: { ...db, query: tx.query.bind(tx) },
        publisher,
        logger,
        topics: { lifecycle, audit },
        source,
        instanceId: "plan",
      });
      const relayed = await relay.relayOnce();
      const { rows } = await tx.query<{ read: string }>(
        `select coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) as read from pg_stat_xact_user_tables
          where relname = 'ledger_events' and schemaname = current_schema()`,
      );
      return { relayed, eventRowsRead: Number(rows[0]?.read) };
    });
    expect(relayed).toBe(events);
    // `ledger_log` reads each listed row once for its own event and once for the assignments folded into it.
    expect(eventRowsRead).toBe(2 * listed);
    expect(await countRows(db, "ledger_outbox_statements")).toBe(0);
  });

  it("dead-letters a refused feedback action with the reason and applies the next one", async () => {
    const [feedback] = (await createTestTopics(kafka, ["feedback"], 1)) as [string];
    const { ledger } = createTestLedger(db);
    const routed = routedFixture();
    await ledger.applyRouted({ key: eventKey(), routed });
    const { rows } = await db.query<{ assignment_id: string }>("select assignment_id from assignments where role = 'lead'");
    const assignmentId = rows[0]?.assignment_id ?? "";
    const action = (act: object) => ({
      kind: "unit-action" as const,
      clueId: routed.decision.clueId,
      assignmentId,
      unitId: "town-chengguan",
      actorId: "insp-1",
      at: new Date().toISOString(),
      act: act as never,
    });
    await publisher.publishAll(
      [action({ action: "conclude", result: "resolved", summary: "太早" }), action({ action: "accept" })].map((data) => ({
        topic: feedback,
        ...feedbackTopic.serialize(data, { source: "/clueline/unit-systems" }),
      })),
    );
    const runner = createConsumerRunner({
      kafka,
      publisher,
      logger,
      metrics: createMetricsRegistry({ service: "closure" }),
      groupId: uniqueName("closure"),
      topics: [feedback],
      batchHandler: createLedgerBatchHandler({ ledger, routedTopic: "not-this-one" }),
    });
    await runner.start();
    await until("the accept", async () => (await countRows(db, "assignments where state = 'accepted'")) === 1);
    await runner.stop();
    const [dead] = await readTopic({ kafka, topic: `${feedback}.dlq`, count: 1 });
    expect(dead?.headers[dlqHeaders.errorClass]).toBe("PoisonRecord");
    expect(JSON.parse(dead?.headers[dlqHeaders.problems] ?? "[]")).toEqual([
      { path: "action", reason: expect.stringContaining("assigned cannot be concluded") },
    ]);
  });
  it("applies a fetched batch in one transaction, repeats deduped, and dead-letters only the refused decision", async () => {
    const [routed] = (await createTestTopics(kafka, ["routed"], 1)) as [string];
    const { ledger } = createTestLedger(db);
    const known = routedFixture();
    await ledger.applyRouted({ key: { source: "/clueline/router", id: known.decision.decisionId }, routed: known });
    const fresh = Array.from({ length: 30 }, () => routedFixture());
    const merged = (clueId: string) => routedFixture({ clueId, mergedInto: clueId, discipline: null });
    const orphan = merged("01JZZZZZZZZZZZZZZZZZZZZZZZ");
    const decisions = [known, ...fresh.slice(0, 10), merged(fresh[0]?.decision.clueId ?? ""), orphan, ...fresh.slice(10)];
    const records = decisions.map((d) => ({
      topic: routed,
      ...clueRoutedTopic.serialize(d, { source: "/clueline/router", id: d.decision.decisionId }),
    }));
    // A repeat inside the same fetch, and one of the decision applied before this batch.
    await publisher.publishAll([...records, records[3], records[0]].filter((r) => r !== undefined));
    let batches = 0;
    const handler = createLedgerBatchHandler({ ledger, routedTopic: routed, onApplied: () => batches++ });
    const runner = createConsumerRunner({
      kafka,
      publisher,
      logger,
      metrics: createMetricsRegistry({ service: "closure" }),
      groupId: uniqueName("closure"),
      topics: [routed],
      batchHandler: handler,
    });
    await runner.start();
    await until("all 31 clues", async () => (await countRows(db, "clues")) === 31);
    const [dead] = await readTopic({ kafka, topic: `${routed}.dlq`, count: 1 });
    await runner.stop();
    expect(dead?.headers.ce_id).toBe(orphan.decision.decisionId);
    expect(JSON.parse(dead?.headers[dlqHeaders.problems] ?? "[]")).toEqual([{ path: "clueId", reason: "not in the ledger" }]);
    expect(await countRows(db, "inbox")).toBe(1); // the supplement; not the refused merge, nor the openings
    expect(await countRows(db, "ledger_log where event = 'clue.opened'")).toBe(31);
    expect(await countRows(db, "ledger_log where event = 'clue.supplemented'")).toBe(1);
    expect(await countRows(db, "assignments")).toBe(62);
    expect(batches).toBeGreaterThan(0);
    expect(batches).toBeLessThan(decisions.length);
  });
});
