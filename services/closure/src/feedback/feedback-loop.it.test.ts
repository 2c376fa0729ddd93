import type { Database } from "@clueline/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ClueDetail } from "../queries/views.js";
import { anonymousReporter, eventKey, routedFixture } from "../testing/fixtures.js";
import { createTestApp } from "../testing/test-app.js";
import { type TestDatabase, testDatabaseEngines } from "../testing/test-databases.js";

type Tasks = { items: { taskId: string; clueId: string; round: number; reply: string }[] };
const operator = ["complaint:write"] as const;

describe.each(testDatabaseEngines())("feedback loop on $engine", ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  beforeEach(async () => {
    handle = await open();
    db = handle.db;
  });
  afterEach(() => handle.drop());

  /** Opens a clue led by town-a and takes it to a given reply through the API. */
  async function concludeAndReply(t: ReturnType<typeof createTestApp>, clueId: string, reply: string, accept = true) {
    const detail = (await (await t.call(["unit:town-a"], `/v1/clues/${clueId}`)).json()) as ClueDetail;
    const lead = detail.assignments.find((a) => a.unitId === "town-a" && a.role === "lead");
    const path = `/v1/assignments/${lead?.assignmentId}/actions`;
    if (accept) {
      await t.call(["unit:town-a"], path, { body: { action: "accept" } });
      await t.call(["unit:town-a"], path, { body: { action: "dispose", disposition: "handling" } });
    }
    expect(
      (await t.call(["unit:town-a"], path, { body: { action: "conclude", result: "resolved", summary: "办结" } })).status,
    ).toBe(200);
    expect((await t.call(["unit:town-a"], `/v1/clues/${clueId}/reply`, { body: { reply } })).status).toBe(204);
  }

  it("calls back real-name reporters: dissatisfied reopens once, then escalates to the commission", async () => {
    const t = createTestApp(db);
    const routed = routedFixture({ discipline: { lead: "town-a", assist: [], informed: ["dc"] } });
    await t.ledger.applyRouted({ key: eventKey(), routed });
    await concludeAndReply(t, routed.decision.clueId, "第一次答复");

    const tasks = (await (await t.call([...operator], "/v1/call-backs")).json()) as Tasks;
    expect(tasks.items).toMatchObject([{ clueId: routed.decision.clueId, round: 1, reply: "第一次答复" }]);
    expect((await t.call([...operator], `/v1/clues/${routed.decision.clueId}/reporter`)).status).toBe(403);
    expect((await t.call(["unit:town-a"], "/v1/call-backs")).status).toBe(403);
    const first = `/v1/call-backs/${tasks.items[0]?.taskId}/result`;
    expect((await t.call([...operator], first, { body: { result: "unreachable" } })).status).toBe(204);
    expect(((await (await t.call([...operator], "/v1/call-backs")).json()) as Tasks).items).toEqual([]); // due again in 4 h
    t.clock.advanceHours(4);
    expect((await t.call([...operator], first, { body: { result: "dissatisfied", note: "问题未解决" } })).status).toBe(204);
    expect((await t.call([...operator], first, { body: { result: "satisfied" } })).status).toBe(409);

    const reopened = (await (await t.call(["unit:town-a"], `/v1/clues/${routed.decision.clueId}`)).json()) as ClueDetail;
    expect(reopened).toMatchObject({ state: "open", reopenCount: 1 });
    await concludeAndReply(t, routed.decision.clueId, "第二次答复", false);
    const second = (await (await t.call([...operator], "/v1/call-backs")).json()) as Tasks;
    expect(second.items).toMatchObject([{ round: 2, reply: "第二次答复" }]);
    await t.call([...operator], `/v1/call-backs/${second.items[0]?.taskId}/result`, { body: { result: "dissatisfied" } });

    const escalated = (await (await t.call(["commission"], `/v1/clues/${routed.decision.clueId}`)).json()) as ClueDetail;
    expect(escalated).toMatchObject({ state: "open", escalated: true });
    expect(escalated.assignments.find((a) => a.unitId === "dc")).toMatchObject({
      role: "lead",
      cause: "escalation",
      state: "assigned",
    });
    const dcList = (await (await t.call(["unit:dc"], "/v1/clues?role=lead")).json()) as { items: { clueId: string }[] };
    expect(dcList.items.map((c) => c.clueId)).toEqual([routed.decision.clueId]);
  });

  it("answers an anonymous reporter's receipt look-up with status and published reply, rate-limited", async () => {
    const t = createTestApp(db, { receiptLimit: 4, trustedProxies: ["10.0.0.1"] });
    const { code, reporter } = anonymousReporter();
    const routed = routedFixture({ discipline: { lead: "town-a", assist: [], informed: [] }, reporter });
    await t.ledger.applyRouted({ key: eventKey(), routed });
    // Through the trusted proxy 10.0.0.1, for the client it names.
    const viaProxy = (typed: string, client = "203.0.113.5") =>
      t.call([...operator], "/v1/receipts/lookup", {
        body: { code: typed },
        peer: "10.0.0.1",
        headers: { "x-forwarded-for": client },
      });
    const lookUp = (typed: string) => viaProxy(typed);

    expect(await (await lookUp(code)).json()).toMatchObject({ clueId: routed.decision.clueId, status: "received", reply: null });
    await concludeAndReply(t, routed.decision.clueId, "已责令退还并通报批评");
    const answer = await lookUp(code.toLowerCase().replaceAll("-", ""));
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ status: "replied", reply: "已责令退还并通报批评" });
    expect((await lookUp(anonymousReporter().code)).status).toBe(404);
    expect((await t.call(["unit:town-a"], "/v1/receipts/lookup", { body: { code } })).status).toBe(403);

    await lookUp(code);
    const limited = await lookUp(code); // the 5th from this caller and client address within the minute
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await viaProxy(code, "203.0.113.6")).status).toBe(200); // another client behind the proxy
    // A direct caller chooses its X-Forwarded-For: it is counted against its own address all the same.
    const spoofing = [1, 2, 3, 4, 5].map((n) =>
      t.call([...operator], "/v1/receipts/lookup", {
        body: { code },
        peer: "198.51.100.9",
        headers: { "x-forwarded-for": `192.0.2.${n}` },
      }),
    );
    expect((await Promise.all(spoofing)).map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 429]);
    const audits = await db.query("select 1 from ledger_log where stream = 'audit' and event = 'receipt.lookup'");
    expect(audits.rows).toHaveLength(8);
  });
});
