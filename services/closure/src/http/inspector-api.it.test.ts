import type { Database } from "@clueline/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encodeCursor } from "../queries/list-clues.js";
import type { ClueDetail } from "../queries/views.js";
import { eventKey, routedFixture } from "../testing/fixtures.js";
import { readEvents } from "../testing/sse-events.js";
import { createTestApp } from "../testing/test-app.js";
import { type TestDatabase, testDatabaseEngines } from "../testing/test-databases.js";

type Page = { items: { clueId: string; roles: string[] }[]; nextCursor: string | null };

describe.each(testDatabaseEngines())("inspector API on $engine", ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  let t: ReturnType<typeof createTestApp>;
  beforeEach(async () => {
    handle = await open();
    db = handle.db;
    t = createTestApp(db);
  });
  afterEach(() => handle.drop());

  async function openClue(lead: string, extra: Parameters<typeof routedFixture>[0] = {}) {
    const routed = routedFixture({ discipline: { lead, assist: [], informed: ["dc"] }, ...extra });
    await t.ledger.applyRouted({ key: eventKey(), routed });
    return routed.decision;
  }

  it("keeps units apart: a unit lists, reads and acts on its own clues only", async () => {
    const mine = await openClue("town-a");
    const theirs = await openClue("town-b");
    const list = (await (await t.call(["unit:town-a"], "/v1/clues")).json()) as Page;
    expect(list.items.map((c) => c.clueId)).toEqual([mine.clueId]);
    expect(list.items[0]?.roles).toEqual(["lead"]);
    expect((await t.call(["unit:town-a"], `/v1/clues/${theirs.clueId}`)).status).toBe(404);
    expect((await t.call(["unit:town-a"], "/v1/clues?unit=town-b")).status).toBe(403);
    const detail = (await (await t.call(["unit:town-b"], `/v1/clues/${theirs.clueId}`)).json()) as ClueDetail;
    const assignmentId = detail.assignments[0]?.assignmentId;
    const foreign = await t.call(["unit:town-a"], `/v1/assignments/${assignmentId}/actions`, { body: { action: "accept" } });
    expect(foreign.status).toBe(404);
    const all = (await (await t.call(["commission"], "/v1/clues")).json()) as Page;
    expect(all.items.map((c) => c.clueId).sort()).toEqual([mine.clueId, theirs.clueId].sort());
    const informed = (await (await t.call(["unit:dc"], "/v1/clues?role=informed")).json()) as Page;
    expect(informed.items).toHaveLength(2);
    expect((await t.call([], "/v1/clues")).status).toBe(403);
    expect((await t.app.request("/v1/clues")).status).toBe(401);
  });

  it("shows the routing reasons as routed, packed or, from rows an older instance wrote, as objects", async () => {
    const routed = routedFixture({ discipline: { lead: "town-a", assist: [], informed: ["dc"] } });
    routed.decision.reasons = [
      { rule: 1, detail: "category 违规收送礼品礼金 (gifts, conduct)", matched: ["送礼", "违规收送礼品礼金", "礼金"] },
      { rule: 1, detail: "nature discipline" },
      { rule: 4, detail: "one unit proposed: town-a leads (100%)", matched: ["town-a"] },
    ];
    await t.ledger.applyRouted({ key: eventKey(), routed });
    const reasonsOf = async () => {
      const response = await t.call(["commission"], `/v1/clues/${routed.decision.clueId}`);
      return JSON.stringify(((await response.json()) as ClueDetail).reasons);
    };
    expect(await reasonsOf()).toBe(JSON.stringify(routed.decision.reasons));
    // A clue opened before migration 015, or routed again by an older instance: `reasons` is set and wins.
    const older = [{ rule: "classification", detail: "routed again by an older instance" }];
    await db.query("update clues set reasons = $2::jsonb where clue_id = $1", [routed.decision.clueId, JSON.stringify(older)]);
    expect(await reasonsOf()).toBe(JSON.stringify(older));
  });

  it("pages with a cursor and filters by state", async () => {
    const opened = [];
    for (let n = 0; n < 5; n++) opened.push((await openClue("town-a")).clueId);
    const first = (await (await t.call(["unit:town-a"], "/v1/clues?limit=2")).json()) as Page;
    const second = (await (await t.call(["unit:town-a"], `/v1/clues?limit=2&cursor=${first.nextCursor}`)).json()) as Page;
    const third = (await (await t.call(["unit:town-a"], `/v1/clues?limit=2&cursor=${second.nextCursor}`)).json()) as Page;
    expect([...first.items, ...second.items, ...third.items].map((c) => c.clueId)).toEqual(opened.reverse());
    expect(third.nextCursor).toBeNull();
    const closed = (await (await t.call(["unit:town-a"], "/v1/clues?state=closed")).json()) as Page;
    expect(closed.items).toEqual([]);
    const bad = await t.call(["unit:town-a"], "/v1/clues?state=nonsense");
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toBe("application/problem+json");
  });

  it("acts, answers 409 with the state for an illegal action, and shows the history", async () => {
    const routed = await openClue("town-a");
    const detail = (await (await t.call(["unit:town-a"], `/v1/clues/${routed.clueId}`)).json()) as ClueDetail;
    const path = `/v1/assignments/${detail.assignments[0]?.assignmentId}/actions`;
    const refused = await t.call(["unit:town-a"], path, { body: { action: "conclude", result: "resolved", summary: "x" } });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { detail: string }).detail).toContain("assigned");
    expect((await t.call(["unit:town-a"], path, { body: { action: "reject" } })).status).toBe(400);
    const accepted = await t.call(["unit:town-a"], path, { body: { action: "accept" } });
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ state: "accepted" });
    await t.call(["unit:town-a"], path, { body: { action: "dispose", disposition: "preliminary-verification" } });
    await t.call(["unit:town-a"], path, { body: { action: "progress", note: "约谈当事人" } });
    await t.call(["unit:town-a"], path, { body: { action: "conclude", result: "unsubstantiated", summary: "查无实据" } });
    const reply = await t.call(["unit:town-a"], `/v1/clues/${routed.clueId}/reply`, {
      body: { reply: "经核查，反映问题不属实" },
    });
    expect(reply.status).toBe(204);
    const after = (await (await t.call(["unit:town-a"], `/v1/clues/${routed.clueId}`)).json()) as ClueDetail;
    expect(after.state).toBe("fed-back");
    expect(after).toMatchObject({ text: "反映城关镇某站所工作人员办事索要好处费", evidence: [], origin: { line: "12388" } });
    expect(after.history.map((h) => h.event)).toEqual([
      "clue.opened",
      "assignment.assigned",
      "assignment.accepted",
      "assignment.disposed",
      "assignment.progressed",
      "assignment.concluded",
      "clue.concluded",
      "clue.fed-back",
    ]);
    expect(after.history.find((h) => h.event === "assignment.progressed")).toMatchObject({
      note: "约谈当事人",
      actor: "as-unit:town-a",
    });
  });

  it("opens reporter identity only with pii:read, and audits every read", async () => {
    const identity = { name: "张三", phone: "13800138000" };
    const complaintId = "c-opens-identity";
    const reporter = { kind: "real-name" as const, hash: "c".repeat(64), identity: t.sealer.seal(identity, { complaintId }) };
    const routed = await openClue("town-a", { complaintId, reporter });
    const path = `/v1/clues/${routed.clueId}/reporter`;
    expect((await t.call(["unit:town-a"], path)).status).toBe(403);
    expect((await t.call(["unit:town-b", "pii:read"], path)).status).toBe(404);
    const read = await t.call(["unit:town-a", "pii:read"], `${path}?reason=核实举报人`);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(identity);
    const { rows } = await db.query<{ payload: Record<string, unknown> }>(
      "select payload from ledger_log where stream = 'audit'",
    );
    expect(rows.map((r) => r.payload)).toEqual([
      expect.objectContaining({
        action: "pii.read",
        actor: "as-unit:town-a+pii:read",
        target: { kind: "clue", id: routed.clueId },
      }),
    ]);
    const detail = await (await t.call(["unit:town-a"], `/v1/clues/${routed.clueId}`)).text();
    expect(detail).not.toContain(reporter.identity.ciphertext);
    expect(detail).not.toContain("13800138000");
  });

  it("answers the edges of every parameter's range from the ledger, not with a 500", async () => {
    await openClue("town-a");
    for (const path of [
      "/v1/rates?month=2000-01",
      "/v1/rates?month=2199-12",
      "/v1/ranking?month=2000-01",
      "/v1/ranking?month=2199-12",
      `/v1/clues?cursor=${encodeCursor(String(Number.MAX_SAFE_INTEGER))}`,
    ]) {
      expect((await t.call(["commission"], path)).status, path).toBe(200);
    }
    expect((await t.call(["commission"], "/v1/clues/01ARZ3NDEKTSV4RRFFQ69G5FAV")).status).toBe(404);
    const position = String(Number.MAX_SAFE_INTEGER);
    for (const init of [{}, { headers: { "last-event-id": position } }]) {
      const query = "headers" in init ? "" : `?lastEventId=${position}`;
      const stream = await t.call(["unit:town-a"], `/v1/stream${query}`, init);
      expect(stream.status).toBe(200);
      expect(stream.headers.get("content-type")).toContain("text/event-stream");
      await stream.body?.cancel();
    }
  });

  it("streams a unit's new clues over SSE and resumes after Last-Event-ID", async () => {
    const first = await openClue("town-a");
    await openClue("town-b");
    const second = await openClue("town-a");
    const events = await readEvents(await t.call(["unit:town-a"], "/v1/stream"), 2);
    expect(events.map((e) => JSON.parse(e.data).clueId)).toEqual([first.clueId, second.clueId]);
    const third = await openClue("town-a");
    const resumed = await readEvents(
      await t.call(["unit:town-a"], "/v1/stream", { headers: { "last-event-id": events[1]?.id ?? "" } }),
      1,
    );
    expect(resumed.map((e) => JSON.parse(e.data).clueId)).toEqual([third.clueId]);
    expect(resumed[0]?.event).toBe("clue");
  });
});
