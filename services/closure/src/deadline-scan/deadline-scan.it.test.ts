import type { Database } from "@clueline/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestLedger, eventKey, routedFixture, testSupervision } from "../testing/fixtures.js";
import { type TestDatabase, testDatabaseEngines } from "../testing/test-databases.js";
import { createDeadlineScan } from "./deadline-scan.js";

describe.each(testDatabaseEngines())("deadline scan on $engine", ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  beforeEach(async () => {
    handle = await open();
    db = handle.db;
  });
  afterEach(() => handle.drop());

  const scanEvents = async () =>
    (
      await db.query<{ event: string; payload: { deadline: { kind: string; unitId: string } } }>(
        "select event, payload from ledger_log where actor = 'deadline-scan' order by seq, part",
      )
    ).rows.map((r) => `${r.event} ${r.payload.deadline.kind} ${r.payload.deadline.unitId}`);

  it("reminds before, declares overdue after, orders supervision once, and survives a restart", async () => {
    const { ledger, clock } = createTestLedger(db);
    const routed = routedFixture(); // Monday 2026-03-02: accept due 03-09 for town-chengguan (lead) and team-1 (assist)
    await ledger.applyRouted({ key: eventKey(), routed });
    const scan = () =>
      createDeadlineScan({ db, commissionUnit: "dc", supervision: testSupervision(), clock: clock.now }).scanOnce();

    clock.set("2026-03-05T23:00:00+08:00");
    expect(await scan()).toEqual({ reminders: 0, overdue: 0, escalated: 0 });
    clock.set("2026-03-06T08:00:00+08:00"); // one working day before the due date
    expect(await scan()).toEqual({ reminders: 2, overdue: 0, escalated: 0 });
    expect(await scan()).toEqual({ reminders: 0, overdue: 0, escalated: 0 }); // a restarted scanner repeats nothing

    const { rows } = await db.query<{ assignment_id: string }>("select assignment_id from assignments where role = 'lead'");
    await ledger.act({
      assignmentId: rows[0]?.assignment_id ?? "",
      unitId: "town-chengguan",
      subject: "i",
      act: { action: "accept" },
    });
    clock.set("2026-03-09T23:59:00+08:00");
    expect(await scan()).toEqual({ reminders: 0, overdue: 0, escalated: 0 }); // still the due day
    clock.set("2026-03-10T00:01:00+08:00");
    expect(await scan()).toEqual({ reminders: 0, overdue: 1, escalated: 0 });
    expect(await scan()).toEqual({ reminders: 0, overdue: 0, escalated: 0 });

    expect(await scanEvents()).toEqual([
      "deadline.reminder accept town-chengguan",
      "deadline.reminder accept team-1",
      "deadline.overdue accept team-1",
      "deadline.supervision-ordered accept team-1",
    ]);
    const orders = await db.query("select late_unit, to_unit from supervision_orders");
    expect(orders.rows).toEqual([{ late_unit: "team-1", to_unit: "dc" }]);
    const dc = await db.query<{ roles: string[] }>("select roles from unit_clues where unit_id = 'dc'");
    expect(dc.rows[0]?.roles).toEqual(["informed", "supervisor"]);
  });

  it("works through a backlog in batches", async () => {
    const { ledger, clock } = createTestLedger(db);
    for (let n = 0; n < 7; n++) await ledger.applyRouted({ key: eventKey(), routed: routedFixture() });
    clock.set("2026-04-30T12:00:00+08:00"); // everything long overdue, acceptance notices included
    const scanner = createDeadlineScan({
      db,
      commissionUnit: "dc",
      supervision: testSupervision(),
      clock: clock.now,
      batchSize: 10,
    });
    const turns = [];
    for (let turn = await scanner.scanOnce(); turn.overdue > 0; turn = await scanner.scanOnce()) turns.push(turn.overdue);
    expect(turns).toEqual([10, 10, 1]);
    const open = await db.query("select 1 from deadlines where next_at is not null");
    expect(open.rows).toEqual([]);
  });
});
