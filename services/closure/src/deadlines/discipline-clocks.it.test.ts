import type { AssignmentAction } from "@clueline/contracts";
import type { Database } from "@clueline/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDeadlineScan } from "../deadline-scan/deadline-scan.js";
import { InvalidAction } from "../ledger/ledger-errors.js";
import { createTestLedger, eventKey, routedFixture, testSupervision } from "../testing/fixtures.js";
import { type TestDatabase, testDatabaseEngines } from "../testing/test-databases.js";

// routedFixture: a discipline clue led by town-chengguan, assisted by team-1, routed Monday 2026-03-02 10:00 Beijing.
describe.each(testDatabaseEngines())("discipline clocks on $engine (DESIGN §7)", ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  beforeEach(async () => {
    handle = await open();
    db = handle.db;
  });
  afterEach(() => handle.drop());

  async function setUp(options: Parameters<typeof createTestLedger>[1] = {}) {
    const t = createTestLedger(db, options);
    await t.ledger.applyRouted({ key: eventKey(), routed: routedFixture() });
    const idOf = async (role: string) =>
      (await db.query<{ assignment_id: string }>("select assignment_id from assignments where role = $1", [role])).rows[0]
        ?.assignment_id ?? "";
    const lead = await idOf("lead");
    const assist = await idOf("assist");
    const act = (act: AssignmentAction, assignmentId = lead, unitId = "town-chengguan") =>
      t.ledger.act({ assignmentId, unitId, subject: "insp-1", act });
    /** The assignment's work clocks (not accept), oldest first. */
    const clocks = async (assignmentId = lead) =>
      (
        await db.query<{ kind: string; stage: string; due_on: string }>(
          `select kind, stage, due_on::text from deadlines where assignment_id = $1 and kind <> 'accept'
           order by deadline_id`,
          [assignmentId],
        )
      ).rows.map((r) => `${r.kind} ${r.due_on} ${r.stage}`);
    const scan = () =>
      createDeadlineScan({ db, commissionUnit: "dc", supervision: testSupervision(), clock: t.clock.now }).scanOnce();
    const overdue = async (kind: string) =>
      (
        await db.query<{ unit: string }>(
          `select payload->'deadline'->>'unitId' as unit from ledger_log
           where event = 'deadline.overdue' and payload->'deadline'->>'kind' = $1 order by seq, part`,
          [kind],
        )
      ).rows.map((r) => r.unit);
    return { ...t, lead, assist, act, clocks, scan, overdue };
  }

  it("starts a disposal clock when the lead accepts, and none for an assist", async () => {
    const t = await setUp();
    await t.act({ action: "accept" });
    await t.act({ action: "accept" }, t.assist, "team-1");
    expect(await t.clocks()).toEqual(["dispose 2026-04-01 pending"]);
    expect(await t.clocks(t.assist)).toEqual([]);
    t.clock.set("2026-04-02T00:01:00+08:00");
    await t.scan();
    expect(await t.overdue("dispose")).toEqual(["town-chengguan"]);
  });

  it("meets it on talk-or-letter and gives 30 days to conclude, overdue after", async () => {
    const t = await setUp();
    await t.act({ action: "accept" });
    t.clock.set("2026-03-10T09:00:00+08:00");
    await t.act({ action: "dispose", disposition: "talk-or-letter", complex: false });
    expect(await t.clocks()).toEqual(["dispose 2026-04-01 met", "conclude 2026-04-09 pending"]);
    const row = await db.query<{ due: string }>("select conclude_due_on::text as due from assignments where assignment_id = $1", [
      t.lead,
    ]);
    expect(row.rows).toEqual([{ due: "2026-04-09" }]);
    t.clock.set("2026-04-09T23:00:00+08:00");
    await t.scan();
    expect(await t.overdue("conclude")).toEqual([]);
    t.clock.set("2026-04-10T00:01:00+08:00");
    await t.scan();
    expect(await t.overdue("conclude")).toEqual(["town-chengguan"]);
    expect(await t.overdue("dispose")).toEqual([]);
  });

  it("holds a clue until its review date, then a new disposal starts its conclusion clock", async () => {
    const t = await setUp();
    await t.act({ action: "accept" });
    await expect(t.act({ action: "dispose", disposition: "hold", complex: false })).rejects.toBeInstanceOf(InvalidAction);
    await expect(
      t.act({ action: "dispose", disposition: "hold", complex: false, reviewOn: "2026-03-02" }),
    ).rejects.toBeInstanceOf(InvalidAction);
    await expect(
      t.act({ action: "dispose", disposition: "close", complex: false, reviewOn: "2026-05-15" }),
    ).rejects.toBeInstanceOf(InvalidAction);
    await t.act({ action: "dispose", disposition: "hold", complex: false, reviewOn: "2026-05-15" });
    expect(await t.clocks()).toEqual(["dispose 2026-04-01 met", "review 2026-05-15 pending"]);
    t.clock.set("2026-05-16T00:01:00+08:00");
    await t.scan();
    expect(await t.overdue("review")).toEqual(["town-chengguan"]);
    expect(await t.overdue("dispose")).toEqual([]);
    await t.act({ action: "dispose", disposition: "preliminary-check", complex: false });
    expect(await t.clocks()).toEqual([
      "dispose 2026-04-01 met",
      "review 2026-05-15 met", // overdue, then met by the new disposal
      "conclude 2026-08-14 pending",
    ]);
  });

  it("closes with no clock left, and the lead may conclude", async () => {
    const t = await setUp();
    await t.act({ action: "accept" });
    await t.act({ action: "dispose", disposition: "close", complex: false });
    expect(await t.clocks()).toEqual(["dispose 2026-04-01 met"]);
    await t.act({ action: "conclude", result: "unsubstantiated", summary: "予以了结" });
    const open = await db.query("select kind from deadlines where assignment_id = $1 and next_at is not null", [t.lead]);
    expect(open.rows).toEqual([]);
  });

  it("takes the periods from the policy it is given, and moves no clock on the service track's way", async () => {
    const policy = { disciplineDisposalDays: 10, disciplineConclusionDays: { "talk-or-letter": 20, "preliminary-check": 45 } };
    const t = await setUp({ discipline: () => policy });
    await t.act({ action: "accept" });
    // `handling` (the service track's) is recorded but is no way: the disposal stays due.
    await t.act({ action: "dispose", disposition: "handling", complex: false });
    expect(await t.clocks()).toEqual(["dispose 2026-03-12 pending"]);
    await t.act({ action: "dispose", disposition: "preliminary-verification", complex: false });
    expect(await t.clocks()).toEqual(["dispose 2026-03-12 met", "conclude 2026-04-16 pending"]);
  });
});
