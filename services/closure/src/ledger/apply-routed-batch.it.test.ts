import type { Database } from "@clueline/db";
import { ulid } from "ulid";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { anonymousReporter, createTestLedger, eventKey, routedFixture } from "../testing/fixtures.js";
import { type TestDatabase, testDatabaseEngines } from "../testing/test-databases.js";
import type { RoutedItem } from "./apply-routed-batch.js";

/** The ledger's content with the ids it makes itself (assignment ids, event ids, seqs) left out. */
async function snapshot(db: Database) {
  const rows = async (sql: string) => (await db.query(sql)).rows;
  const events = await rows("select clue_id, event, payload, note from ledger_log order by seq, part");
  return {
    clues: await rows(
      "select clue_id, complaint_id, state, categories, departments, towns, transfer_to, reporter_kind from clues order by seq",
    ),
    assignments: await rows(
      `select clue_id, unit_id, role, track, state, accept_due_on::text, conclude_due_on::text from assignments
       order by clue_id, assigned_at, role desc, unit_id`,
    ),
    deadlines: await rows(
      "select clue_id, unit_id, kind, due_on::text, stage, next_at from deadlines order by clue_id, kind, unit_id",
    ),
    units: await rows("select clue_id, unit_id, roles from unit_clues order by seq"),
    inbox: await rows("select source, event_id from inbox order by event_id"),
    events: events.map((row) => {
      const payload = typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload;
      if (payload.assignment) payload.assignment.assignmentId = "…";
      return { ...row, payload };
    }),
  };
}

/** Every row of the tables a routing decision writes, with the ids of the transactions that wrote or locked it. */
async function everyRow(db: Database) {
  const tables = [
    "clues",
    "assignments",
    "deadlines",
    "clue_units",
    "clue_supplements",
    "ledger_events",
    "ledger_outbox_statements",
    "inbox",
  ];
  const all: Record<string, unknown[]> = {};
  for (const table of tables) {
    all[table] = (await db.query(`select xmin::text, xmax::text, to_jsonb(t) as row from ${table} t order by 3`)).rows;
  }
  return all;
}

/** Opens the item's clue in the ledger and has its lead (town-a) accept, dispose and conclude it: the clue concludes. */
async function concludeBeforehand(db: Database, item: RoutedItem) {
  const { ledger } = createTestLedger(db);
  const { routed } = item;
  await ledger.applyRouted(item);
  const { rows } = await db.query<{ assignment_id: string }>(
    "select assignment_id from assignments where clue_id = $1 and role = 'lead'",
    [routed.decision.clueId],
  );
  const assignmentId = rows[0]?.assignment_id as string;
  for (const act of [
    { action: "accept" },
    { action: "dispose", disposition: "close", complex: false },
    { action: "conclude", result: "unsubstantiated", summary: "予以了结" },
  ] as const) {
    await ledger.act({ assignmentId, unitId: "town-a", subject: "inspector", act });
  }
}

describe.each(testDatabaseEngines())("a batch of routing decisions on $engine", ({ open }) => {
  let handles: TestDatabase[];
  beforeEach(async () => {
    handles = [await open(), await open()];
  });
  afterEach(() => Promise.all(handles.map((handle) => handle.drop())));

  it("leaves the ledger exactly as applying the decisions one at a time does", async () => {
    const [oneByOne, batched] = handles.map((handle) => handle.db) as [Database, Database];
    const opened = routedFixture();
    const merged = (clueId: string) => routedFixture({ clueId, mergedInto: clueId, discipline: null });
    const service = routedFixture({
      nature: "service",
      discipline: null,
      service: { lead: "dept-market", coLeads: ["dept-tax-local"], informed: ["dept-biz"] },
      reporter: anonymousReporter().reporter,
    });
    const transfer = routedFixture({
      discipline: null,
      transfer: { to: "city-commission", alsoTo: [], informed: ["dc"] },
    });
    const both = routedFixture({
      nature: "both",
      discipline: { lead: "team-1", assist: ["town-chengguan"], informed: ["dc"] },
      service: { lead: "dept-market", coLeads: [], informed: ["dept-biz", "dc"] },
      channel: "media",
    });
    // A clue both ledgers concluded before the batch: the batch's first supplement to it reopens it (rule 8).
    const finished = routedFixture({ discipline: { lead: "town-a", assist: [], informed: ["dc"] } });
    const finishedKey = eventKey();
    for (const db of [oneByOne, batched]) await concludeBeforehand(db, { key: finishedKey, routed: finished });
    const repeatKey = eventKey();
    const items: RoutedItem[] = [
      { key: eventKey(), routed: opened },
      { key: eventKey(), routed: merged(both.decision.clueId) }, // before its clue opens: refused
      { key: repeatKey, routed: service },
      { key: eventKey(), routed: merged(opened.decision.clueId) },
      { key: repeatKey, routed: service }, // the same event again: an opening keeps no inbox row, its clue is known
      { key: eventKey(), routed: transfer },
      { key: eventKey(), routed: both },
      { key: eventKey(), routed: { ...opened, decision: { ...opened.decision, decisionId: "again" } } }, // rule 9
      { key: eventKey(), routed: merged(both.decision.clueId) },
      { key: eventKey(), routed: merged("01JZZZZZZZZZZZZZZZZZZZZZZZ") },
      { key: eventKey(), routed: merged(finished.decision.clueId) },
      { key: eventKey(), routed: merged(finished.decision.clueId) },
    ];

    const single = createTestLedger(oneByOne).ledger;
    const outcomes: string[] = [];
    for (const item of items) {
      outcomes.push(await single.applyRouted(item).catch((error: Error) => `refused ${error.name}`));
    }
    const results = await createTestLedger(batched).ledger.applyRoutedBatch(items);

    expect(results.map((r) => (r.outcome === "refused" ? `refused ${r.error.name}` : r.outcome))).toEqual(outcomes);
    expect(outcomes).toEqual([
      "opened",
      "refused ClueNotFound",
      "opened",
      "supplemented",
      "known",
      "opened",
      "opened",
      "known",
      "supplemented",
      "refused ClueNotFound",
      "reopened",
      "supplemented",
    ]);
    expect(await snapshot(batched)).toEqual(await snapshot(oneByOne));
    // Delivered again, the batch changes nothing, except that a refused merge applies once its clue exists. Its
    // openings find their clues (`known`); the other decisions find their ids in the inbox (`duplicate`).
    const again = await createTestLedger(batched).ledger.applyRoutedBatch(items);
    expect(again.map((r) => r.outcome)).toEqual([
      "known",
      "supplemented",
      "known",
      "duplicate",
      "known",
      "known",
      "known",
      "known",
      "duplicate",
      "refused",
      "duplicate",
      "duplicate",
    ]);
  });

  it("writes nothing for an opening delivered again, whatever became of its clue", async () => {
    const db = (handles[0] as TestDatabase).db;
    const { ledger } = createTestLedger(db);
    const concluded = routedFixture({ discipline: { lead: "town-a", assist: [], informed: ["dc"] } });
    const concludedKey = eventKey();
    await concludeBeforehand(db, { key: concludedKey, routed: concluded });
    const supplemented = routedFixture();
    const supplementedKey = eventKey();
    await ledger.applyRouted({ key: supplementedKey, routed: supplemented });
    const { clueId } = supplemented.decision;
    await ledger.applyRouted({ key: eventKey(), routed: routedFixture({ clueId, mergedInto: clueId, discipline: null }) });
    const before = await everyRow(db);

    const again: RoutedItem[] = [
      { key: concludedKey, routed: concluded },
      { key: supplementedKey, routed: supplemented },
      // Rule 9: a new decision for the clue, and a second clue for a complaint the ledger has (the complaint's key).
      { key: eventKey(), routed: { ...concluded, decision: { ...concluded.decision, decisionId: ulid() } } },
      { key: eventKey(), routed: routedFixture({ complaintId: supplemented.decision.complaintId }) },
    ];
    const known = again.map(() => "known");
    expect((await ledger.applyRoutedBatch(again)).map((r) => r.outcome)).toEqual(known);
    expect((await ledger.applyRoutedBatch([...again, ...again])).map((r) => r.outcome)).toEqual([...known, ...known]);
    for (const item of again) expect(await ledger.applyRouted(item)).toBe("known");
    // No row added, changed or locked (xmin, xmax), no event, no inbox row, and no seq drawn for the clues.
    expect(await everyRow(db)).toEqual(before);
    await ledger.applyRouted({ key: eventKey(), routed: routedFixture() });
    const { rows } = await db.query<{ gap: unknown }>("select max(seq) - count(*) as gap from clues");
    expect(Number(rows[0]?.gap)).toBe(0);
  });
});
