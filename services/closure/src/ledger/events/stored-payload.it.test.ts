import type { Database } from "@clueline/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestLedger, eventKey, routedFixture } from "../../testing/fixtures.js";
import { type TestDatabase, testDatabaseEngines } from "../../testing/test-databases.js";
import { LedgerEvent } from "./ledger-event.js";
import { storedPayload } from "./ledger-events.js";

describe("a lifecycle payload as stored", () => {
  const at = new Date("2026-03-02T02:00:00.000Z");
  it("leaves out the keys its columns hold, and keeps any that differ", () => {
    const event = { event: "clue.opened", clueId: "c1", occurredAt: at.toISOString(), actor: { kind: "system", id: "r" } };
    expect(storedPayload(event, "clue.opened", "c1", at)).toEqual({ actor: { kind: "system", id: "r" } });
    const offset = { ...event, occurredAt: "2026-03-02T10:00:00+08:00" };
    expect(storedPayload(offset, "clue.opened", "c2", at)).toEqual({ ...offset, event: undefined });
    expect(Object.keys(storedPayload(offset, "clue.opened", "c2", at))).toEqual(["clueId", "occurredAt", "actor"]);
  });
});

describe.each(testDatabaseEngines())("lifecycle payloads through ledger_log on $engine", ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  beforeEach(async () => {
    handle = await open();
    db = handle.db;
  });
  afterEach(() => handle.drop());

  it("store what no column holds, and read back whole", async () => {
    const { ledger } = createTestLedger(db);
    await ledger.applyRoutedBatch([0, 1].map(() => ({ key: eventKey(), routed: routedFixture() })));
    await ledger.applyRouted({ key: eventKey(), routed: routedFixture() });
    const { rows: assigned } = await db.query<{ assignment_id: string; unit_id: string }>(
      "select assignment_id, unit_id from assignments where role = 'lead' limit 1",
    );
    const [lead] = assigned;
    await ledger.act({
      assignmentId: lead?.assignment_id ?? "",
      unitId: lead?.unit_id ?? "",
      subject: "i",
      act: { action: "accept" },
    });

    const { rows: stored } = await db.query<{ payload: Record<string, unknown> }>(
      "select payload from ledger_events where stream = 'lifecycle'",
    );
    expect(stored.length).toBeGreaterThan(3);
    for (const { payload } of stored) expect(payload).not.toHaveProperty("event");
    for (const { payload } of stored) expect(payload).not.toHaveProperty("clueId");
    for (const { payload } of stored) expect(payload).not.toHaveProperty("occurredAt");

    const { rows } = await db.query<{ event: string; clue_id: string; occurred_at: Date; payload: Record<string, unknown> }>(
      "select event, clue_id, occurred_at, payload from ledger_log where stream = 'lifecycle' order by seq, part",
    );
    expect(rows.map((row) => row.event)).toContain("assignment.accepted");
    for (const row of rows) {
      expect(LedgerEvent.parse(row.payload)).toEqual(row.payload);
      expect(row.payload).toMatchObject({
        event: row.event,
        clueId: row.clue_id,
        occurredAt: new Date(row.occurred_at).toISOString(),
      });
    }
  });

  it("reads back as written a payload an older closure stored whole, its own time format included", async () => {
    const { ledger } = createTestLedger(db);
    await ledger.applyRouted({ key: eventKey(), routed: routedFixture() });
    const { rows } = await db.query<{ payload: Record<string, unknown> }>(
      "select payload from ledger_log where event = 'clue.opened'",
    );
    const whole: Record<string, unknown> = { ...rows[0]?.payload, occurredAt: "2026-03-02T10:00:00+08:00" };
    await db.query(
      `insert into ledger_events (event_id, stream, clue_id, event, payload, actor, occurred_at)
       values ('older', 'lifecycle', $1, 'clue.opened', $2, 'router', '2026-03-02T02:00:00Z')`,
      [whole.clueId, JSON.stringify(whole)],
    );
    const { rows: back } = await db.query<{ payload: unknown }>("select payload from ledger_log where event_id = 'older'");
    expect(back[0]?.payload).toEqual(whole);
  });
});
