import type { Database } from "@clueline/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDeadlineScan } from "../deadline-scan/deadline-scan.js";
import { listClues } from "../queries/list-clues.js";
import { readUnitStreamPage } from "../queries/unit-stream-page.js";
import { createTestLedger, eventKey, routedFixture, testSupervision } from "../testing/fixtures.js";
import { type TestDatabase, testDatabaseEngines } from "../testing/test-databases.js";

/**
 * Who sees a clue, read back as clue_units alone held it before migration 020 (a lead or assist unit's position
 * may now be on its assignment): one row a unit, its roles in the order it got them, and one stream position that
 * a second assignment does not move. The expected values are what the ledger gave before that migration.
 */
describe.each(testDatabaseEngines())("a unit's clues on $engine", ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  beforeEach(async () => {
    handle = await open();
    db = handle.db;
  });
  afterEach(() => handle.drop());

  const rowsOf = async (clueId: string) =>
    (
      await db.query<{ unit_id: string; roles: string[]; seq: string }>(
        "select unit_id, roles, seq::text from unit_clues where clue_id = $1 order by seq",
        [clueId],
      )
    ).rows;
  const stream = async (unitId: string) =>
    (await readUnitStreamPage(db, { unitId, after: "0", limit: 100 })).map((s) => ({
      clueId: s.clue.clueId,
      position: s.position,
      roles: s.clue.roles,
    }));
  const listed = async (unitId: string, role?: string) =>
    (await listClues(db, { unitId, filters: { role }, after: null, limit: 50 })).items.map((c) => `${c.clueId} ${c.roles}`);
  const assignmentOf = async (clueId: string, unitId: string) =>
    (
      await db.query<{ assignment_id: string }>(
        "select assignment_id from assignments where clue_id = $1 and unit_id = $2 order by assigned_at desc limit 1",
        [clueId, unitId],
      )
    ).rows[0]?.assignment_id ?? "";

  it("keeps one stream entry at its first position when a unit is assigned the clue again", async () => {
    const { ledger } = createTestLedger(db);
    const first = routedFixture({ discipline: { lead: "town-chengguan", assist: [], informed: ["dc"] } });
    const second = routedFixture({ discipline: { lead: "town-chengguan", assist: [], informed: [] } });
    const clueId = first.decision.clueId;
    await ledger.applyRouted({ key: eventKey(), routed: first });
    await ledger.applyRouted({ key: eventKey(), routed: second });
    const before = await stream("town-chengguan");
    expect(before.map((s) => [s.clueId, s.roles])).toEqual([
      [clueId, ["lead"]],
      [second.decision.clueId, ["lead"]],
    ]);
    const [, positioned] = await rowsOf(clueId);

    // Transferred away and back (转办 twice): the unit has two lead assignments on the clue now.
    const transfer = async (from: string, to: string) =>
      ledger.act({
        assignmentId: await assignmentOf(clueId, from),
        unitId: from,
        subject: "i",
        act: { action: "transfer", to, scope: "unit" },
      });
    await transfer("town-chengguan", "team-2");
    await transfer("team-2", "town-chengguan");
    const leads = await db.query("select 1 from assignments where clue_id = $1 and unit_id = 'town-chengguan'", [clueId]);
    expect(leads.rows).toHaveLength(2);

    expect(await stream("town-chengguan")).toEqual(before);
    const after = await rowsOf(clueId);
    expect(after.map((r) => [r.unit_id, r.roles])).toEqual([
      ["dc", ["informed"]],
      ["town-chengguan", ["lead"]],
      ["team-2", ["lead"]],
    ]);
    expect(after[1]).toEqual(positioned);
    expect(await listed("town-chengguan")).toEqual([`${second.decision.clueId} lead`, `${clueId} lead`]);
    expect(await listed("town-chengguan", "lead")).toEqual([`${second.decision.clueId} lead`, `${clueId} lead`]);
    expect(await listed("team-2")).toEqual([`${clueId} lead`]);
  });

  it("keeps a lead's position and role order when it also becomes the clue's assist", async () => {
    const { ledger } = createTestLedger(db);
    const routed = routedFixture({ discipline: { lead: "town-chengguan", assist: ["team-1"], informed: [] } });
    const later = routedFixture({ discipline: { lead: "town-chengguan", assist: [], informed: [] } });
    const { clueId } = routed.decision;
    await ledger.applyRouted({ key: eventKey(), routed });
    await ledger.applyRouted({ key: eventKey(), routed: later });
    const before = await rowsOf(clueId);

    // The assist transfers its part to the lead: the lead unit now also assists, at the place it had.
    await ledger.act({
      assignmentId: await assignmentOf(clueId, "team-1"),
      unitId: "team-1",
      subject: "i",
      act: { action: "transfer", to: "town-chengguan", scope: "unit" },
    });
    const after = await rowsOf(clueId);
    expect(after.map((r) => [r.unit_id, r.roles])).toEqual([
      ["town-chengguan", ["lead", "assist"]],
      ["team-1", ["assist"]],
    ]);
    expect(after.map((r) => r.seq)).toEqual(before.map((r) => r.seq));
    expect((await stream("town-chengguan")).map((s) => [s.clueId, s.roles])).toEqual([
      [clueId, ["lead", "assist"]],
      [later.decision.clueId, ["lead"]],
    ]);
    expect(await listed("town-chengguan", "assist")).toEqual([`${clueId} lead,assist`]);
  });

  it("keeps a unit's position and role order when it is also made the clue's supervisor", async () => {
    const { ledger, clock } = createTestLedger(db);
    // Monday 2026-03-02: accept due 03-09 for town-chengguan (lead) and team-1 (assist).
    const routed = routedFixture({ discipline: { lead: "town-chengguan", assist: ["team-1"], informed: ["dc"] } });
    const { clueId } = routed.decision;
    await ledger.applyRouted({ key: eventKey(), routed });
    await ledger.act({
      assignmentId: await assignmentOf(clueId, "town-chengguan"),
      unitId: "town-chengguan",
      subject: "i",
      act: { action: "accept" },
    });
    const before = await rowsOf(clueId);

    // The overdue assist's supervision goes to the lead unit here (the scan's commission unit): a role no
    // assignment gives.
    clock.set("2026-03-10T00:01:00+08:00");
    const scan = createDeadlineScan({ db, commissionUnit: "town-chengguan", supervision: testSupervision(), clock: clock.now });
    expect(await scan.scanOnce()).toMatchObject({ overdue: 1 });
    const after = await rowsOf(clueId);
    expect(after.map((r) => [r.unit_id, r.roles])).toEqual([
      ["dc", ["informed"]],
      ["town-chengguan", ["lead", "supervisor"]],
      ["team-1", ["assist"]],
    ]);
    expect(after.map((r) => r.seq)).toEqual(before.map((r) => r.seq));
    expect(await listed("town-chengguan", "supervisor")).toEqual([`${clueId} lead,supervisor`]);
    expect((await stream("team-1")).map((s) => s.roles)).toEqual([["assist"]]);
  });
});
