import type { Database } from "@clueline/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createConductWatch } from "../conduct/conduct-watch.js";
import type { ClueDetail } from "../queries/views.js";
import { eventKey, routedFixture } from "../testing/fixtures.js";
import { createTestApp } from "../testing/test-app.js";
import { type TestDatabase, testDatabaseEngines } from "../testing/test-databases.js";
import type { ReturnView } from "./read-returns.js";

type Scopes = Parameters<ReturnType<typeof createTestApp>["call"]>[0];

// The fixture's clue opens on Monday 2026-03-02: town-chengguan leads (discipline), team-1 assists, dc is informed.
describe.each(testDatabaseEngines())("returns, reassignment and redo on $engine", ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  let t: ReturnType<typeof createTestApp>;
  beforeEach(async () => {
    handle = await open();
    db = handle.db;
    t = createTestApp(db);
  });
  afterEach(() => handle.drop());

  const openClue = async (overrides: Parameters<typeof routedFixture>[0] = {}) => {
    const routed = routedFixture(overrides);
    await t.ledger.applyRouted({ key: eventKey(), routed });
    return routed.decision.clueId;
  };
  const detail = async (scopes: Scopes, clueId: string) => {
    const response = await t.call(scopes, `/v1/clues/${clueId}`);
    return { status: response.status, clue: (await response.json()) as ClueDetail };
  };
  const assignmentOf = async (clueId: string, unitId: string) =>
    (await detail(["commission"], clueId)).clue.assignments.filter((a) => a.unitId === unitId).at(-1);
  const act = (unitId: string, assignmentId: string, body: object) =>
    t.call([`unit:${unitId}`], `/v1/assignments/${assignmentId}/actions`, { body });
  const returns = async (scopes: Scopes, query = "") => {
    const response = await t.call(scopes, `/v1/returns${query}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: ReturnView[] }).items;
  };
  const decide = (scopes: Scopes, returnId: string, body: object) => t.call(scopes, `/v1/returns/${returnId}/decision`, { body });
  const events = async (name: string) =>
    (
      await db.query<{ payload: Record<string, unknown>; note: string | null }>(
        "select payload, note from ledger_log where event = $1 order by seq, part",
        [name],
      )
    ).rows;
  const clocks = async (assignmentId: string) =>
    (
      await db.query<{ kind: string; stage: string }>(
        "select kind, stage from deadlines where assignment_id = $1 order by deadline_id",
        [assignmentId],
      )
    ).rows;

  it("returns a misrouted assignment; the commission upholds it and the unit must handle it", async () => {
    const clueId = await openClue();
    const lead = (await assignmentOf(clueId, "town-chengguan"))?.assignmentId ?? "";
    const reason = "不属于本镇管辖，联系电话13812345678";
    const returned = await act("town-chengguan", lead, { action: "return", reason });
    expect(returned.status).toBe(200);
    expect(await returned.json()).toMatchObject({ state: "returned" });
    // A return does not stop time: the accept clock runs on.
    expect(await clocks(lead)).toEqual([{ kind: "accept", stage: "pending" }]);

    const [pending] = await returns(["commission"], "?state=pending");
    expect(pending).toMatchObject({ clueId, assignmentId: lead, unitId: "town-chengguan", kind: "return", state: "pending" });
    expect(pending?.reason).toContain("不属于本镇管辖");
    expect(pending?.reason).not.toContain("13812345678");
    const returnId = pending?.returnId ?? "";
    expect((await returns(["unit:town-chengguan"])).map((r) => r.returnId)).toEqual([returnId]);
    expect(await returns(["unit:team-1"])).toEqual([]);
    expect(await returns(["unit:team-1"], "?unit=town-chengguan")).toEqual([]);
    expect(await returns(["commission"], "?state=upheld")).toEqual([]);
    expect((await t.call(["complaint:write"], "/v1/returns")).status).toBe(403);
    expect((await t.call(["unit:town-chengguan"], `/v1/returns/${returnId}`)).status).toBe(200);
    expect((await t.call(["unit:team-1"], `/v1/returns/${returnId}`)).status).toBe(404);

    // Only the commission decides: the returning unit is told so, any other unit finds no such return.
    expect((await decide(["unit:town-chengguan"], returnId, { decision: "uphold" })).status).toBe(403);
    expect((await decide(["unit:team-1"], returnId, { decision: "uphold" })).status).toBe(404);
    expect((await decide(["commission"], "01ARZ3NDEKTSV4RRFFQ69G5FAV", { decision: "uphold" })).status).toBe(404);
    const upheld = await decide(["commission"], returnId, { decision: "uphold", note: "属本镇职责" });
    expect(upheld.status).toBe(200);
    expect(await upheld.json()).toMatchObject({ returnId, state: "upheld", reassignedTo: null, newAssignmentId: null });
    expect((await decide(["commission"], returnId, { decision: "uphold" })).status).toBe(409);

    expect((await assignmentOf(clueId, "town-chengguan"))?.state).toBe("assigned");
    expect(await clocks(lead)).toEqual([{ kind: "accept", stage: "pending" }]);
    const again = await act("town-chengguan", lead, { action: "return", reason: "再次退回" });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { type: string }).type).toContain("upheld-before");
    expect((await act("town-chengguan", lead, { action: "accept" })).status).toBe(200);

    const [returnedEvent] = await events("assignment.returned");
    expect(returnedEvent?.payload).toMatchObject({
      returnId,
      kind: "return",
      reviewer: "dc",
      from: "assigned",
      to: "returned",
      assignment: { assignmentId: lead, unitId: "town-chengguan" },
    });
    // The reason stays in the ledger, off the topic.
    expect(JSON.stringify(returnedEvent?.payload)).not.toContain("管辖");
    expect(returnedEvent?.note).toContain("不属于本镇管辖");
    expect((await events("assignment.return-decided")).map((e) => e.payload)).toEqual([
      expect.objectContaining({ returnId, decision: "upheld", from: "returned", to: "assigned", reassignedTo: null }),
    ]);
  });

  it("writes an upheld return of a service assignment to its department's service failures", async () => {
    const thresholds = { enabled: true, windowDays: 30, overdue: 3, dissatisfied: 3, returnsUpheld: 2 };
    t = createTestApp(db, { conduct: createConductWatch({ thresholds: () => thresholds }) });
    const clueId = await openClue({
      nature: "service",
      categories: ["approval-delay"],
      subjects: { departments: ["dept-market"], towns: [] },
      discipline: null,
      service: { lead: "dept-market", coLeads: [], informed: ["dept-biz"] },
    });
    const lead = (await assignmentOf(clueId, "dept-market"))?.assignmentId ?? "";
    expect((await act("dept-market", lead, { action: "return", reason: "应由营商办办理" })).status).toBe(200);
    const [pending] = await returns(["commission"]);
    expect((await decide(["commission"], pending?.returnId ?? "", { decision: "uphold" })).status).toBe(200);
    const failures = await db.query("select failure_id, kind, department, clue_id from service_failures");
    expect(failures.rows).toEqual([
      { failure_id: `return-upheld:${pending?.returnId}`, kind: "return-upheld", department: "dept-market", clue_id: clueId },
    ]);
  });

  it("reassigns a returned assignment: the new unit gets it with fresh clocks, the old one acts no more", async () => {
    const clueId = await openClue();
    const old = (await assignmentOf(clueId, "town-chengguan"))?.assignmentId ?? "";
    t.clock.set("2026-03-04T09:00:00+08:00");
    await act("town-chengguan", old, { action: "return", reason: "事发地在西关街道" });
    const returnId = (await returns(["commission"]))[0]?.returnId ?? "";

    const unknown = await decide(["commission"], returnId, { decision: "reassign", to: "town-nowhere" });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(await unknown.json())).toContain('"path":"to"');
    expect((await decide(["commission"], returnId, { decision: "reassign", to: "town-chengguan" })).status).toBe(409);
    expect((await decide(["commission"], returnId, { decision: "reassign" })).status).toBe(400);
    expect((await detail(["unit:town-xiguan"], clueId)).status).toBe(404);

    const reassigned = await decide(["commission"], returnId, { decision: "reassign", to: "town-xiguan", note: "改派西关" });
    expect(reassigned.status).toBe(200);
    const view = (await reassigned.json()) as ReturnView;
    expect(view).toMatchObject({ state: "reassigned", reassignedTo: "town-xiguan" });
    const fresh = view.newAssignmentId ?? "";

    // The new unit sees the clue in its list, its detail and its stream; its assignment has a fresh accept clock.
    const list = (await (await t.call(["unit:town-xiguan"], "/v1/clues")).json()) as { items: { clueId: string }[] };
    expect(list.items.map((c) => c.clueId)).toEqual([clueId]);
    const seen = await detail(["unit:town-xiguan"], clueId);
    expect(seen.clue.assignments.filter((a) => a.unitId === "town-xiguan")).toEqual([
      expect.objectContaining({
        assignmentId: fresh,
        unitId: "town-xiguan",
        role: "lead",
        state: "assigned",
        acceptDueOn: "2026-03-11",
      }),
    ]);
    const stream = await readFirstEvent(await t.call(["unit:town-xiguan"], "/v1/stream"));
    expect(JSON.parse(stream).clueId).toBe(clueId);
    expect(await clocks(fresh)).toEqual([{ kind: "accept", stage: "pending" }]);

    // The old assignment ended, its clocks met; its unit can no longer act on it.
    expect((await assignmentOf(clueId, "town-chengguan"))?.state).toBe("reassigned");
    expect(await clocks(old)).toEqual([{ kind: "accept", stage: "met" }]);
    expect((await act("town-chengguan", old, { action: "accept" })).status).toBe(409);
    expect((await act("town-xiguan", fresh, { action: "accept" })).status).toBe(200);
    expect((await decide(["commission"], returnId, { decision: "reassign", to: "town-dongguan" })).status).toBe(409);
    // A reassigned assignment has no clock left to extend (409, not a 500 on a state an older list lacked), and the
    // reporter read's access check reads a reassigned and a reassignment-caused assignment (a unit off the clue: 404).
    const extension = { body: { workingDays: 1, reason: "需要更多时间" } };
    expect((await t.call(["unit:town-chengguan"], `/v1/assignments/${old}/extension-requests`, extension)).status).toBe(409);
    expect((await t.call(["unit:team-9", "pii:read"], `/v1/clues/${clueId}/reporter`)).status).toBe(404);

    expect((await events("assignment.return-decided")).map((e) => e.payload)).toEqual([
      expect.objectContaining({ decision: "reassigned", to: "reassigned", reassignedTo: "town-xiguan" }),
    ]);
    const assigned = (await events("assignment.assigned")).map((e) => e.payload).at(-1);
    expect(assigned).toMatchObject({ cause: "reassignment", assignment: { assignmentId: fresh, unitId: "town-xiguan" } });
  });

  it("sends a discipline lead's 不予受理 to review instead of concluding the clue, then reassigns it", async () => {
    const clueId = await openClue();
    const lead = (await assignmentOf(clueId, "town-chengguan"))?.assignmentId ?? "";
    const assist = (await assignmentOf(clueId, "team-1"))?.assignmentId ?? "";
    // An assist's rejection stays final, as before.
    expect(await (await act("team-1", assist, { action: "reject", reason: "非本组职责" })).json()).toMatchObject({
      state: "rejected",
    });
    const rejected = await act("town-chengguan", lead, { action: "reject", reason: "线索不实" });
    expect(await rejected.json()).toMatchObject({ state: "returned" });
    expect((await detail(["commission"], clueId)).clue.state).toBe("open");
    expect(await events("clue.concluded")).toEqual([]);

    const [review] = await returns(["commission"], "?state=pending");
    expect(review).toMatchObject({ kind: "reject", reason: "线索不实", unitId: "town-chengguan" });
    const decided = await decide(["commission"], review?.returnId ?? "", { decision: "reassign", to: "dc" });
    expect(decided.status).toBe(200);
    const fresh = ((await decided.json()) as ReturnView).newAssignmentId ?? "";
    expect((await detail(["commission"], clueId)).clue.state).toBe("open");

    // The commission now leads and concludes; the clue concludes with it as the lead that answered.
    for (const body of [
      { action: "accept" },
      { action: "dispose", disposition: "close" },
      { action: "conclude", result: "unsubstantiated", summary: "予以了结" },
    ])
      expect((await act("dc", fresh, body)).status).toBe(200);
    expect((await detail(["commission"], clueId)).clue.state).toBe("concluded");
    expect((await events("clue.concluded")).map((e) => e.payload.leadUnits)).toEqual([["dc"]]);
  });

  it("sends a concluded clue back for redo: its leads reopen with fresh clocks", async () => {
    const clueId = await openClue();
    const lead = (await assignmentOf(clueId, "town-chengguan"))?.assignmentId ?? "";
    const redo = (scopes: Scopes, body: object, id = clueId) => t.call(scopes, `/v1/clues/${id}/redo`, { body });
    const body = { basis: "review", reason: "核查不细，重新办理" };
    expect((await redo(["commission"], body)).status).toBe(409); // still open
    for (const step of [
      { action: "accept" },
      { action: "dispose", disposition: "talk-or-letter" },
      { action: "conclude", result: "unsubstantiated", summary: "经谈话核实不实" },
    ])
      expect((await act("town-chengguan", lead, step)).status).toBe(200);
    expect((await t.call(["unit:town-chengguan"], `/v1/clues/${clueId}/reply`, { body: { reply: "经核实不实" } })).status).toBe(
      204,
    );
    expect((await detail(["commission"], clueId)).clue.state).toBe("fed-back");

    expect((await redo(["unit:town-chengguan"], body)).status).toBe(403);
    expect((await redo(["unit:town-xiguan"], body)).status).toBe(404);
    expect((await redo(["commission"], body, "01ARZ3NDEKTSV4RRFFQ69G5FAV")).status).toBe(404);
    expect((await redo(["commission"], { basis: "call-back", reason: "回访不满意" })).status).toBe(409);
    expect((await redo(["commission"], { basis: "review" })).status).toBe(400);

    t.clock.set("2026-03-20T09:00:00+08:00");
    const done = await redo(["commission"], body);
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual({ clueId, redoCount: 1 });
    const reopened = (await detail(["commission"], clueId)).clue;
    expect(reopened.state).toBe("open");
    expect(reopened.assignments.find((a) => a.assignmentId === lead)).toMatchObject({ state: "in-progress" });
    // 发回重办 reopens the handling itself: the lead disposes of the clue anew (it may choose another way), within
    // the disposal period from the redo, as after a supplement; the conclusion clock follows that disposal.
    expect((await clocks(lead)).filter((c) => c.stage !== "met")).toEqual([{ kind: "dispose", stage: "pending" }]);
    expect((await events("assignment.reopened")).map((e) => e.payload)).toEqual([
      expect.objectContaining({
        assignment: expect.objectContaining({ assignmentId: lead }),
        concludeDueOn: null,
        disposeDueOn: "2026-04-19",
      }),
    ]);
    const [ordered] = await events("clue.redo-ordered");
    expect(ordered?.payload).toMatchObject({ from: "fed-back", basis: "review", leadUnits: ["town-chengguan"], redoCount: 1 });
    expect(ordered?.note).toBe("核查不细，重新办理");
    // The call-back about the withdrawn result is dropped; the next reply makes a new one due.
    const dropped = (await (await t.call(["complaint:write"], "/v1/call-backs")).json()) as { items: unknown[] };
    expect(dropped.items).toEqual([]);
    await act("town-chengguan", lead, { action: "conclude", result: "partly-substantiated", summary: "重新核实部分属实" });
    await t.call(["unit:town-chengguan"], `/v1/clues/${clueId}/reply`, { body: { reply: "部分属实" } });
    const tasks = (await (await t.call(["complaint:write"], "/v1/call-backs")).json()) as { items: { round: number }[] };
    expect(tasks.items.map((task) => task.round)).toEqual([2]);

    const ranking = (await (await t.call(["commission"], "/v1/ranking?month=2026-03")).json()) as {
      ranking: { id: string; redos: number }[];
    };
    expect(ranking.ranking.find((s) => s.id === "chengguan")?.redos).toBe(1);
  });

  it("documents the routes in the OpenAPI document the fuzz and the scope matrix read", async () => {
    const document = (await (await t.app.request("/openapi.json")).json()) as { paths: Record<string, object> };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        "/v1/returns",
        "/v1/returns/{returnId}",
        "/v1/returns/{returnId}/decision",
        "/v1/clues/{clueId}/redo",
      ]),
    );
    expect(JSON.stringify(document.paths["/v1/assignments/{assignmentId}/actions"])).toContain('"return"');
  });

  it("refuses a transfer to a unit or outside body the directory lacks, naming the field", async () => {
    const clueId = await openClue();
    const lead = (await assignmentOf(clueId, "town-chengguan"))?.assignmentId ?? "";
    for (const body of [
      { action: "transfer", to: "town-nowhere", scope: "unit" },
      { action: "transfer", to: "moon-commission", scope: "external" },
      { action: "transfer", to: "town-chengguan", scope: "unit" },
    ]) {
      const response = await act("town-chengguan", lead, body);
      expect(response.status).toBe(400);
      expect(JSON.stringify(await response.json())).toContain('"path":"to"');
    }
    expect((await act("town-chengguan", lead, { action: "transfer", to: "town-xiguan", scope: "unit" })).status).toBe(200);
  });
});

/** The data of the first SSE event of a streaming response, then hangs up. */
async function readFirstEvent(response: Response): Promise<string> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  while (!buffer.includes("\n\n") || !buffer.includes("data: ")) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return buffer.slice(buffer.indexOf("data: ") + 6).split("\n")[0] ?? "";
}
