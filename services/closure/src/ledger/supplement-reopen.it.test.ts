import type { ClueRouted } from "@clueline/contracts";
import type { Database } from "@clueline/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ClueDetail } from "../queries/views.js";
import { eventKey, routedFixture } from "../testing/fixtures.js";
import { readEvents } from "../testing/sse-events.js";
import { createTestApp } from "../testing/test-app.js";
import { type TestDatabase, testDatabaseEngines } from "../testing/test-databases.js";

type App = ReturnType<typeof createTestApp>;
type Tasks = { items: { taskId: string; clueId: string; round: number }[] };
const operator = ["complaint:write"] as const;
const text = "补充材料：那名工作人员又打电话来要好处费";

/** A clue with a discipline lead (town-a) and a service lead (dept-a), from a real-name caller. */
const bothTracks = () =>
  routedFixture({
    nature: "both",
    discipline: { lead: "town-a", assist: [], informed: ["dc"] },
    service: { lead: "dept-a", coLeads: [], informed: [] },
  });
/** The same reporter's new complaint, merged by the router into `clueId` (rule 8). */
const supplementTo = (clueId: string): ClueRouted => routedFixture({ clueId, mergedInto: clueId, discipline: null, text });

async function detail(t: App, clueId: string): Promise<ClueDetail> {
  return (await (await t.call(["commission"], `/v1/clues/${clueId}`)).json()) as ClueDetail;
}

/** Both leads accept, dispose and conclude through the API: the clue concludes. */
async function conclude(t: App, clueId: string) {
  for (const [unit, disposition, result] of [
    ["town-a", "talk-or-letter", "unsubstantiated"],
    ["dept-a", "handling", "resolved"],
  ] as const) {
    const lead = (await detail(t, clueId)).assignments.find((a) => a.unitId === unit && a.role === "lead");
    const path = `/v1/assignments/${lead?.assignmentId}/actions`;
    const steps = lead?.state === "assigned" ? [{ action: "accept" }] : [];
    for (const body of [...steps, { action: "dispose", disposition }, { action: "conclude", result, summary: "办结" }]) {
      const response = await t.call([`unit:${unit}`], path, { body });
      expect(response.status, await response.clone().text()).toBe(200);
    }
  }
  expect((await detail(t, clueId)).state).toBe("concluded");
}

async function reply(t: App, clueId: string) {
  expect((await t.call(["unit:town-a"], `/v1/clues/${clueId}/reply`, { body: { reply: "已核实答复" } })).status).toBe(204);
}

async function dueCallBacks(t: App, clueId: string) {
  return ((await (await t.call([...operator], "/v1/call-backs")).json()) as Tasks).items.filter((i) => i.clueId === clueId);
}

async function lifecycle(db: Database, clueId: string, event: string) {
  const { rows } = await db.query<{ payload: unknown }>(
    "select payload from ledger_log where clue_id = $1 and event = $2 order by seq, part",
    [clueId, event],
  );
  return rows.map((row) => (typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload));
}

/** The live clocks of each lead assignment, by unit. */
async function liveClocks(db: Database, clueId: string) {
  const { rows } = await db.query<{ unit_id: string; kind: string; due_on: string }>(
    `select unit_id, kind, due_on::text from deadlines
     where clue_id = $1 and assignment_id is not null and stage in ('pending', 'reminded') order by unit_id, kind`,
    [clueId],
  );
  return rows.map((row) => `${row.unit_id} ${row.kind} ${row.due_on}`);
}

describe.each(testDatabaseEngines())("a supplement to a finished clue on $engine", ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  beforeEach(async () => {
    handle = await open();
    db = handle.db;
  });
  afterEach(() => handle.drop());

  it("reopens a concluded clue's lead work with fresh clocks, once however often the supplement is delivered", async () => {
    const t = createTestApp(db);
    const routed = bothTracks();
    const { clueId } = routed.decision;
    await t.ledger.applyRouted({ key: eventKey(), routed });
    await conclude(t, clueId);
    t.clock.set("2026-03-20T09:00:00+08:00");

    const supplement = supplementTo(clueId);
    const key = eventKey();
    expect(await t.ledger.applyRouted({ key, routed: supplement })).toBe("reopened");
    expect(await t.ledger.applyRouted({ key, routed: supplement })).toBe("duplicate");
    // A later supplement joins the clue that is open again.
    expect(await t.ledger.applyRouted({ key: eventKey(), routed: supplementTo(clueId) })).toBe("supplemented");

    const reopened = await detail(t, clueId);
    expect(reopened).toMatchObject({ state: "open", reopenCount: 1 });
    // Both leads were assigned in one transaction, so their order in the detail is their (random) ids' order.
    expect(reopened.assignments.map((a) => `${a.unitId} ${a.role} ${a.state}`).sort()).toEqual([
      "dept-a lead in-progress",
      "town-a lead in-progress",
    ]);
    // From 20 March: the discipline lead owes a new disposal in 30 days, the service lead a conclusion in 7.
    expect(await liveClocks(db, clueId)).toEqual(["dept-a conclude 2026-03-27", "town-a dispose 2026-04-19"]);
    const resultNotice = await db.query("select stage from deadlines where clue_id = $1 and kind = 'result-notice'", [clueId]);
    expect(resultNotice.rows).toEqual([{ stage: "met" }]);

    const events = await lifecycle(db, clueId, "clue.reopened");
    expect(events).toEqual([
      expect.objectContaining({
        reason: "supplement",
        complaintId: supplement.decision.complaintId,
        reopenCount: 1,
        leadUnits: ["dept-a", "town-a"],
      }),
    ]);
    expect(JSON.stringify(events)).not.toContain(text);
    expect(JSON.stringify(events)).not.toContain("a".repeat(64));
    const assignmentEvents = await lifecycle(db, clueId, "assignment.reopened");
    expect(assignmentEvents.map((e) => [e.assignment.unitId, e.disposeDueOn, e.concludeDueOn])).toEqual([
      ["dept-a", null, "2026-03-27"],
      ["town-a", "2026-04-19", null],
    ]);

    // The reopened work is done again, and the clue concludes again.
    await conclude(t, clueId);
  });

  it("withdraws the due call-back of a fed-back clue; the new result gets its own call-back", async () => {
    const t = createTestApp(db);
    const routed = bothTracks();
    const { clueId } = routed.decision;
    await t.ledger.applyRouted({ key: eventKey(), routed });
    await conclude(t, clueId);
    await reply(t, clueId);
    expect(await dueCallBacks(t, clueId)).toMatchObject([{ round: 1 }]);

    expect(await t.ledger.applyRouted({ key: eventKey(), routed: supplementTo(clueId) })).toBe("reopened");
    expect((await detail(t, clueId)).state).toBe("open");
    expect(await dueCallBacks(t, clueId)).toEqual([]);
    // The operator no longer has the reporter's identity to hand: no call-back is due.
    const reporter = await t.call([...operator, "pii:read"], `/v1/clues/${clueId}/reporter`);
    expect(reporter.status).toBe(404);

    await conclude(t, clueId);
    await reply(t, clueId);
    const [task] = await dueCallBacks(t, clueId);
    expect(task).toMatchObject({ round: 2 });
    // A supplement is no dissatisfaction: the first dissatisfied call-back still reopens rather than escalates.
    await t.call([...operator], `/v1/call-backs/${task?.taskId}/result`, { body: { result: "dissatisfied" } });
    expect(await detail(t, clueId)).toMatchObject({ state: "open", escalated: false, reopenCount: 2 });
    expect((await lifecycle(db, clueId, "clue.reopened")).map((e) => e.reason)).toEqual(["supplement", "dissatisfied"]);
  });

  it("reopens a closed clue and puts it back on each lead unit's stream, saying why", async () => {
    const t = createTestApp(db);
    const routed = bothTracks();
    const { clueId } = routed.decision;
    await t.ledger.applyRouted({ key: eventKey(), routed });
    await conclude(t, clueId);
    await reply(t, clueId);
    const [task] = await dueCallBacks(t, clueId);
    await t.call([...operator], `/v1/call-backs/${task?.taskId}/result`, { body: { result: "satisfied" } });
    expect((await detail(t, clueId)).state).toBe("closed");
    const before = await readEvents(await t.call(["unit:town-a"], "/v1/stream"), 1);
    expect(JSON.parse(before[0]?.data ?? "{}")).toMatchObject({ clueId, reason: null });

    expect(await t.ledger.applyRouted({ key: eventKey(), routed: supplementTo(clueId) })).toBe("reopened");
    for (const unit of ["town-a", "dept-a"]) {
      const resumed = await readEvents(
        await t.call([`unit:${unit}`], "/v1/stream", { headers: { "last-event-id": before[0]?.id ?? "0" } }),
        1,
      );
      expect(JSON.parse(resumed[0]?.data ?? "{}")).toMatchObject({ clueId, state: "open", reason: "reopened-by-supplement" });
      expect(resumed[0]?.data).not.toContain(text);
    }
    // The informed commission is told through the lifecycle, not as new work on its stream.
    const dc = await readEvents(await t.call(["unit:dc"], "/v1/stream"), 1);
    expect(JSON.parse(dc[0]?.data ?? "{}")).toMatchObject({ clueId, reason: null });
    const closedAt = await db.query("select closed_at from clues where clue_id = $1", [clueId]);
    expect(closedAt.rows).toEqual([{ closed_at: null }]);
  });

  it("gives the commission the lead when no lead concluded the finished clue", async () => {
    const t = createTestApp(db);
    const routed = routedFixture({ discipline: null, nature: "service", service: { lead: "dept-a", coLeads: [], informed: [] } });
    const { clueId } = routed.decision;
    await t.ledger.applyRouted({ key: eventKey(), routed });
    const lead = (await detail(t, clueId)).assignments[0];
    const rejected = await t.call(["unit:dept-a"], `/v1/assignments/${lead?.assignmentId}/actions`, {
      body: { action: "reject", reason: "不属于本单位职责" },
    });
    expect(rejected.status).toBe(200);
    expect((await detail(t, clueId)).state).toBe("concluded");

    expect(await t.ledger.applyRouted({ key: eventKey(), routed: supplementTo(clueId) })).toBe("reopened");
    const reopened = await detail(t, clueId);
    expect(reopened.state).toBe("open");
    expect(reopened.assignments.map((a) => `${a.unitId} ${a.role} ${a.state} ${a.cause}`)).toEqual([
      "dept-a lead rejected routing",
      "dc lead assigned escalation",
    ]);
    expect(await lifecycle(db, clueId, "clue.reopened")).toEqual([expect.objectContaining({ leadUnits: ["dc"] })]);
  });

  it("reopens in a batch of routed decisions as one at a time, and only once for two supplements to one clue", async () => {
    const t = createTestApp(db);
    const routed = bothTracks();
    const { clueId } = routed.decision;
    await t.ledger.applyRouted({ key: eventKey(), routed });
    await conclude(t, clueId);
    const items = [supplementTo(clueId), supplementTo(clueId)].map((s) => ({ key: eventKey(), routed: s }));
    expect((await t.ledger.applyRoutedBatch(items)).map((r) => r.outcome)).toEqual(["reopened", "supplemented"]);
    expect((await t.ledger.applyRoutedBatch(items)).map((r) => r.outcome)).toEqual(["duplicate", "duplicate"]);
    // The clue's events in the order one at a time writes them: the second supplement joins the reopened clue.
    const { rows } = await db.query<{ event: string }>(
      "select event from ledger_log where clue_id = $1 and seq > (select max(seq) from ledger_log where clue_id = $1 and event = 'clue.concluded') order by seq, part",
      [clueId],
    );
    expect(rows.map((row) => row.event)).toEqual([
      "clue.supplemented",
      "clue.reopened",
      "assignment.reopened",
      "assignment.reopened",
      "clue.supplemented",
    ]);
  });
});
