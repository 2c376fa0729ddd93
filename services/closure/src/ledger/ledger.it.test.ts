import { RefusedTransition } from "@clueline/contracts/errors";
import type { Database } from "@clueline/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestLedger, eventKey, routedFixture } from "../testing/fixtures.js";
import { type TestDatabase, testDatabaseEngines } from "../testing/test-databases.js";
import { AssignmentNotFound, ClueNotFound } from "./ledger-errors.js";

async function assignments(db: Database, clueId: string) {
  const { rows } = await db.query<{ assignment_id: string; unit_id: string; role: string; state: string; accept_due_on: string }>(
    "select assignment_id, unit_id, role, state, accept_due_on::text from assignments where clue_id = $1 order by role desc, unit_id",
    [clueId],
  );
  return rows;
}
async function events(db: Database, clueId: string) {
  const { rows } = await db.query<{ event: string }>("select event from ledger_log where clue_id = $1 order by seq, part", [
    clueId,
  ]);
  return rows.map((r) => r.event);
}
const count = async (db: Database, table: string) =>
  Number((await db.query<{ n: string }>(`select count(*) as n from ${table}`)).rows[0]?.n);

describe.each(testDatabaseEngines())("ledger on $engine", ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  beforeEach(async () => {
    handle = await open();
    db = handle.db;
  });
  afterEach(() => handle.drop());

  it("opens a clue with its assignments, clocks and visibility, once", async () => {
    const { ledger } = createTestLedger(db);
    const routed = routedFixture();
    const key = eventKey();
    expect(await ledger.applyRouted({ key, routed })).toBe("opened");
    // The same event again finds its clue, as a new decision for the clue does: an opening keeps no inbox row.
    expect(await ledger.applyRouted({ key, routed })).toBe("known");
    expect(await ledger.applyRouted({ key: eventKey(), routed })).toBe("known");
    expect(await assignments(db, routed.decision.clueId)).toMatchObject([
      { unit_id: "town-chengguan", role: "lead", state: "assigned", accept_due_on: "2026-03-09" },
      { unit_id: "team-1", role: "assist", state: "assigned" },
    ]);
    const units = await db.query<{ unit_id: string; roles: string[] }>("select unit_id, roles from unit_clues order by seq");
    expect(units.rows).toEqual([
      { unit_id: "dc", roles: ["informed"] },
      { unit_id: "town-chengguan", roles: ["lead"] },
      { unit_id: "team-1", roles: ["assist"] },
    ]);
    expect(await events(db, routed.decision.clueId)).toEqual(["clue.opened", "assignment.assigned", "assignment.assigned"]);
    const clocks = await db.query<{ kind: string; due_on: string }>(
      "select kind, due_on::text from deadlines order by deadline_id",
    );
    expect(clocks.rows.map((r) => `${r.kind} ${r.due_on}`)).toEqual([
      "accept 2026-03-09",
      "accept 2026-03-09",
      "acceptance-notice 2026-03-23",
    ]);
    expect(await count(db, "inbox")).toBe(0);
  });

  it("adds a merged complaint as a supplement and refuses one for an unknown clue", async () => {
    const { ledger } = createTestLedger(db);
    const routed = routedFixture();
    await ledger.applyRouted({ key: eventKey(), routed });
    const merged = routedFixture({ clueId: routed.decision.clueId, mergedInto: routed.decision.clueId, discipline: null });
    expect(await ledger.applyRouted({ key: eventKey(), routed: merged })).toBe("supplemented");
    expect((await events(db, routed.decision.clueId)).at(-1)).toBe("clue.supplemented");
    const orphan = routedFixture({
      clueId: "01JZZZZZZZZZZZZZZZZZZZZZZZ",
      mergedInto: "01JZZZZZZZZZZZZZZZZZZZZZZZ",
      discipline: null,
    });
    await expect(ledger.applyRouted({ key: eventKey(), routed: orphan })).rejects.toBeInstanceOf(ClueNotFound);
  });

  it("walks a real-name clue through conclusion, two dissatisfied call-backs and escalation to closure", async () => {
    const { ledger, clock } = createTestLedger(db);
    const routed = routedFixture({ discipline: { lead: "town-chengguan", assist: [], informed: ["dc"] } });
    await ledger.applyRouted({ key: eventKey(), routed });
    const [lead] = await assignments(db, routed.decision.clueId);
    const act = (a: Parameters<typeof ledger.act>[0]["act"], unitId = "town-chengguan", id = lead?.assignment_id ?? "") =>
      ledger.act({ assignmentId: id, unitId, subject: "insp-1", act: a });
    await act({ action: "accept" });
    await act({ action: "notify", notice: "acceptance" });
    await act({ action: "dispose", disposition: "preliminary-verification", complex: false });
    await act({ action: "conclude", result: "substantiated", summary: "查实" });
    clock.advanceHours(24);
    await ledger.feedBack({ clueId: routed.decision.clueId, unitId: "town-chengguan", subject: "insp-1", reply: "已查实并处理" });
    await ledger.recordCallBack({ clueId: routed.decision.clueId, operatorId: "op-1", result: "dissatisfied" });
    expect((await assignments(db, routed.decision.clueId))[0]?.state).toBe("in-progress");
    await act({ action: "conclude", result: "substantiated", summary: "复查" });
    await ledger.feedBack({ clueId: routed.decision.clueId, unitId: "town-chengguan", subject: "insp-1", reply: "复查结果" });
    await ledger.recordCallBack({ clueId: routed.decision.clueId, operatorId: "op-1", result: "dissatisfied" });
    const escalated = await assignments(db, routed.decision.clueId);
    const dc = escalated.find((a) => a.unit_id === "dc");
    expect(dc).toMatchObject({ role: "lead", state: "assigned" });
    await act({ action: "accept" }, "dc", dc?.assignment_id);
    await act({ action: "dispose", disposition: "talk-or-letter", complex: false }, "dc", dc?.assignment_id);
    await act({ action: "conclude", result: "partly-substantiated", summary: "区纪委复核" }, "dc", dc?.assignment_id);
    await ledger.feedBack({ clueId: routed.decision.clueId, unitId: "dc", subject: "insp-9", reply: "复核结果" });
    await ledger.recordCallBack({ clueId: routed.decision.clueId, operatorId: "op-2", result: "satisfied" });
    const clue = await db.query<{ state: string; reopen_count: number; escalated: boolean }>(
      "select state, reopen_count, escalated from clues where clue_id = $1",
      [routed.decision.clueId],
    );
    expect(clue.rows[0]).toEqual({ state: "closed", reopen_count: 1, escalated: true });
    expect(await events(db, routed.decision.clueId)).toContain("clue.escalated");
    const open = await db.query("select kind from deadlines where next_at is not null");
    expect(open.rows).toEqual([]);
  });

  it("closes an anonymous clue on feedback and refuses illegal or foreign actions without writing anything", async () => {
    const { ledger } = createTestLedger(db);
    const routed = routedFixture({ reporter: { kind: "anonymous", receiptHash: "b".repeat(64) } });
    await ledger.applyRouted({ key: eventKey(), routed });
    const [lead, assist] = await assignments(db, routed.decision.clueId);
    const before = await count(db, "ledger_log");
    const conclude = { action: "conclude", result: "resolved", summary: "x" } as const;
    const early = ledger.act({ assignmentId: lead?.assignment_id ?? "", unitId: "town-chengguan", subject: "i", act: conclude });
    await expect(early).rejects.toBeInstanceOf(RefusedTransition);
    const foreign = ledger.act({
      assignmentId: assist?.assignment_id ?? "",
      unitId: "town-chengguan",
      subject: "i",
      act: { action: "accept" },
    });
    await expect(foreign).rejects.toBeInstanceOf(AssignmentNotFound);
    await expect(
      ledger.feedBack({ clueId: routed.decision.clueId, unitId: "town-chengguan", subject: "i", reply: "r" }),
    ).rejects.toBeInstanceOf(RefusedTransition);
    expect(await count(db, "ledger_log")).toBe(before);

    const id = lead?.assignment_id ?? "";
    await ledger.act({
      assignmentId: id,
      unitId: "town-chengguan",
      subject: "i",
      act: { action: "transfer", to: "team-2", scope: "unit" },
    });
    const moved = (await assignments(db, routed.decision.clueId)).find((a) => a.unit_id === "team-2");
    expect(moved).toMatchObject({ role: "lead", state: "assigned" });
    const next = moved?.assignment_id ?? "";
    await ledger.act({ assignmentId: next, unitId: "team-2", subject: "i", act: { action: "reject", reason: "不属于受理范围" } });
    // A discipline lead's 不予受理 goes to the commission's review (DESIGN §7): the clue stays open until it decides.
    const replied = ledger.feedBack({ clueId: routed.decision.clueId, unitId: "team-2", subject: "i", reply: "过早" });
    await expect(replied).rejects.toBeInstanceOf(RefusedTransition);
    const { rows: reviews } = await db.query<{ return_id: string }>("select return_id from returns");
    await ledger.decideReturn({ returnId: reviews[0]?.return_id ?? "", decision: "uphold", subject: "c" });
    for (const act of [
      { action: "accept" },
      { action: "dispose", disposition: "close", complex: false },
      { action: "conclude", result: "unsubstantiated", summary: "予以了结" },
    ] as const)
      await ledger.act({ assignmentId: next, unitId: "team-2", subject: "i", act });
    await ledger.feedBack({ clueId: routed.decision.clueId, unitId: "team-2", subject: "i", reply: "不予受理，理由…" });
    const clue = await db.query<{ state: string; reply: string }>("select state, reply from clues where clue_id = $1", [
      routed.decision.clueId,
    ]);
    expect(clue.rows[0]).toEqual({ state: "closed", reply: "不予受理，理由…" });
  });

  it("escalates at once when a dissatisfied reporter's clue has no concluded lead to reopen", async () => {
    const { ledger } = createTestLedger(db);
    // A service lead's 不予受理 is final (a discipline lead's goes to review): its clue concludes with no lead concluded.
    const routed = routedFixture({
      nature: "service",
      categories: ["approval-delay"],
      discipline: null,
      service: { lead: "dept-market", coLeads: [], informed: [] },
      subjects: { departments: ["dept-market"], towns: [] },
    });
    await ledger.applyRouted({ key: eventKey(), routed });
    const [lead] = await assignments(db, routed.decision.clueId);
    const reject = { action: "reject", reason: "不属于本单位管辖" } as const;
    await ledger.act({ assignmentId: lead?.assignment_id ?? "", unitId: "dept-market", subject: "i", act: reject });
    await ledger.feedBack({ clueId: routed.decision.clueId, unitId: "dept-market", subject: "i", reply: "不予受理" });
    await ledger.recordCallBack({ clueId: routed.decision.clueId, operatorId: "op-1", result: "dissatisfied" });
    expect((await assignments(db, routed.decision.clueId)).map((a) => `${a.unit_id} ${a.state}`)).toEqual([
      "dc assigned",
      "dept-market rejected",
    ]);
    expect((await events(db, routed.decision.clueId)).slice(-3)).toEqual([
      "clue.call-back-recorded",
      "clue.escalated",
      "assignment.assigned",
    ]);
  });
});
