import type { Database } from "@clueline/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDeadlineScan } from "../deadline-scan/deadline-scan.js";
import type { ClueDetail } from "../queries/views.js";
import { eventKey, routedFixture, testSupervision } from "../testing/fixtures.js";
import { createTestApp } from "../testing/test-app.js";
import { type TestDatabase, testDatabaseEngines } from "../testing/test-databases.js";
import type { SupervisionOrderView } from "./read-orders.js";

type Page = { items: SupervisionOrderView[]; nextCursor: string | null };
type Request = { requestId: string; state: string; dueOn: string; newDueOn: string | null };

// The fixture's clue opens on Monday 2026-03-02, accept due 03-09 for town-chengguan (lead) and team-1 (assist).
// In the shipped directory town-chengguan's leader is leader-executive-deputy-mayor, team-1's leader-deputy-secretary.
describe.each(testDatabaseEngines())("supervision orders and extensions on $engine", ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  let t: ReturnType<typeof createTestApp>;
  let scan: () => Promise<{ reminders: number; overdue: number; escalated: number }>;
  beforeEach(async () => {
    handle = await open();
    db = handle.db;
    t = createTestApp(db);
    const scanner = createDeadlineScan({ db, commissionUnit: "dc", supervision: testSupervision(), clock: t.clock.now });
    scan = scanner.scanOnce;
  });
  afterEach(() => handle.drop());

  const orders = async (scopes: Parameters<typeof t.call>[0], query = "") => {
    const response = await t.call(scopes, `/v1/supervision-orders${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as Page;
  };
  const answer = (scopes: Parameters<typeof t.call>[0], orderId: string, body: object) =>
    t.call(scopes, `/v1/supervision-orders/${orderId}/answer`, { body });
  const events = async (name: string) =>
    (
      await db.query<{ payload: Record<string, unknown> }>("select payload from ledger_log where event = $1 order by seq, part", [
        name,
      ])
    ).rows.map((row) => row.payload);
  const assignmentOf = async (unitId: string) =>
    (await db.query<{ assignment_id: string }>("select assignment_id from assignments where unit_id = $1", [unitId])).rows[0]
      ?.assignment_id ?? "";

  it("orders supervision on a missed clock; the late unit answers it, and only it", async () => {
    await t.ledger.applyRouted({ key: eventKey(), routed: routedFixture() });
    t.clock.set("2026-03-10T00:01:00+08:00");
    expect(await scan()).toMatchObject({ overdue: 2, escalated: 0 });

    const [mine] = (await orders(["unit:town-chengguan"])).items;
    expect(mine).toMatchObject({
      unitId: "town-chengguan",
      state: "open",
      deadline: { kind: "accept", dueOn: "2026-03-09" },
      answerDueOn: "2026-03-17", // 5 working days: 11, 12, 13, 16, 17
      answer: null,
      escalation: null,
    });
    expect((await orders(["unit:town-xiliu"])).items).toEqual([]);
    expect((await orders(["commission"])).items.map((o) => o.unitId).sort()).toEqual(["team-1", "town-chengguan"]);
    expect((await orders(["leader:leader-executive-deputy-mayor"])).items).toEqual([]); // nothing escalated yet
    expect((await t.call(["complaint:write"], "/v1/supervision-orders")).status).toBe(403);
    const [ordered] = await events("deadline.supervision-ordered");
    expect(ordered).toMatchObject({ to: "dc", answerDueOn: "2026-03-17" });

    const orderId = mine?.orderId ?? "";
    const explanation = "人手不足，已安排专人，联系电话13812345678";
    expect((await answer(["unit:town-xiliu"], orderId, { explanation, promisedOn: "2026-03-20" })).status).toBe(404);
    expect(
      (await answer(["leader:leader-executive-deputy-mayor"], orderId, { explanation, promisedOn: "2026-03-20" })).status,
    ).toBe(404);
    expect((await answer(["commission"], orderId, { explanation, promisedOn: "2026-03-20" })).status).toBe(403);
    expect((await answer(["unit:town-chengguan"], orderId, { explanation, promisedOn: "2026-03-09" })).status).toBe(400);
    expect((await answer(["unit:town-chengguan"], orderId, { explanation, promisedOn: "2026-02-30" })).status).toBe(400);
    const answered = await answer(["unit:town-chengguan"], orderId, { explanation, promisedOn: "2026-03-20" });
    expect(answered.status).toBe(200);
    const view = (await answered.json()) as SupervisionOrderView;
    expect(view).toMatchObject({ state: "answered", answer: { promisedOn: "2026-03-20" } });
    expect(view.answer?.explanation).toContain("人手不足");
    expect(view.answer?.explanation).not.toContain("13812345678");
    const again = await answer(["unit:town-chengguan"], orderId, { explanation, promisedOn: "2026-03-20" });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { type: string }).type).toContain("order-answered");
    expect(await events("supervision.answered")).toEqual([
      expect.objectContaining({ orderId, unitId: "town-chengguan", promisedOn: "2026-03-20" }),
    ]);
    // The explanation stays in the ledger, off the topic.
    expect(JSON.stringify(await events("supervision.answered"))).not.toContain("人手不足");

    // An answered order never escalates.
    t.clock.set("2026-03-18T00:01:00+08:00");
    expect(await scan()).toMatchObject({ escalated: 1 });
    expect((await orders(["commission"], "?state=answered")).items.map((o) => o.orderId)).toEqual([orderId]);
  });

  it("escalates an order left unanswered past its deadline to the unit's leader, and to no other", async () => {
    await t.ledger.applyRouted({ key: eventKey(), routed: routedFixture() });
    t.clock.set("2026-03-10T00:01:00+08:00");
    await scan();
    t.clock.set("2026-03-17T23:59:00+08:00");
    expect(await scan()).toMatchObject({ escalated: 0 }); // still the answer's due day
    t.clock.set("2026-03-18T00:01:00+08:00");
    expect(await scan()).toMatchObject({ escalated: 2 });
    expect(await scan()).toMatchObject({ escalated: 0 });

    const seen = await orders(["leader:leader-deputy-secretary"]);
    expect(seen.items).toHaveLength(1);
    expect(seen.items[0]).toMatchObject({
      unitId: "team-1",
      state: "escalated",
      escalation: { leaderId: "leader-deputy-secretary", escalatedAt: "2026-03-17T16:01:00.000Z" },
    });
    const chengguanLeader = await orders(["leader:leader-executive-deputy-mayor"]);
    expect(chengguanLeader.items.map((o) => o.unitId)).toEqual(["town-chengguan"]);
    expect((await orders(["leader:leader-organization-head"])).items).toEqual([]);
    expect((await orders(["leader:leader-organization-head"], "?unit=team-1")).items).toEqual([]);

    const orderId = seen.items[0]?.orderId ?? "";
    const body = { explanation: "迟到的说明", promisedOn: "2026-03-30" };
    const late = await answer(["unit:team-1"], orderId, body);
    expect(late.status).toBe(409);
    expect(((await late.json()) as { type: string }).type).toContain("order-escalated");
    expect((await answer(["leader:leader-deputy-secretary"], orderId, body)).status).toBe(403);
    expect((await answer(["leader:leader-organization-head"], orderId, body)).status).toBe(404);
    expect(await events("supervision.escalated")).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ orderId, unitId: "team-1", leaderId: "leader-deputy-secretary", answerDueOn: "2026-03-17" }),
      ]),
    );

    // The commission pages through all, and filters by state and unit.
    const first = await orders(["commission"], "?limit=1");
    const second = await orders(["commission"], `?limit=1&cursor=${first.nextCursor}`);
    expect([...first.items, ...second.items].map((o) => o.unitId).sort()).toEqual(["team-1", "town-chengguan"]);
    expect((await orders(["commission"], "?state=escalated&unit=team-1")).items.map((o) => o.orderId)).toEqual([orderId]);
    expect((await orders(["commission"], "?state=open")).items).toEqual([]);
  });

  it("moves a clock by a granted extension (reminder and overdue follow), and leaves it when refused", async () => {
    const routed = routedFixture();
    await t.ledger.applyRouted({ key: eventKey(), routed });
    const lead = await assignmentOf("town-chengguan");
    const assist = await assignmentOf("team-1");
    t.clock.set("2026-03-05T10:00:00+08:00");
    const ask = (scopes: Parameters<typeof t.call>[0], assignmentId: string, body: object) =>
      t.call(scopes, `/v1/assignments/${assignmentId}/extension-requests`, { body });
    const reason = { workingDays: 3, reason: "需调取外地材料" };
    expect((await ask(["unit:town-xiliu"], lead, reason)).status).toBe(404);
    expect((await ask(["commission"], lead, reason)).status).toBe(404);
    const asked = await ask(["unit:town-chengguan"], lead, { ...reason, kind: "accept" });
    expect(asked.status).toBe(201);
    const granted = (await asked.json()) as Request;
    expect(granted).toMatchObject({ state: "pending", dueOn: "2026-03-09", newDueOn: null });
    expect((await ask(["unit:town-chengguan"], lead, reason)).status).toBe(409); // one undecided request per clock
    const refusedAsk = await ask(["unit:team-1"], assist, reason);
    expect(refusedAsk.status).toBe(201);
    const refused = (await refusedAsk.json()) as Request;

    const decide = (scopes: Parameters<typeof t.call>[0], requestId: string, decision: string) =>
      t.call(scopes, `/v1/extension-requests/${requestId}/decision`, { body: { decision } });
    expect((await decide(["unit:town-chengguan"], granted.requestId, "grant")).status).toBe(403);
    expect((await decide(["commission"], "01J0000000000000000000000X", "grant")).status).toBe(404);
    const grant = await decide(["commission"], granted.requestId, "grant");
    expect(grant.status).toBe(200);
    expect(await grant.json()).toMatchObject({ state: "granted", dueOn: "2026-03-09", newDueOn: "2026-03-12" });
    expect((await decide(["commission"], granted.requestId, "refuse")).status).toBe(409);
    expect(await (await decide(["commission"], refused.requestId, "refuse")).json()).toMatchObject({
      state: "refused",
      newDueOn: null,
    });

    type RequestPage = { items: (Request & { unitId: string; reason: string })[]; nextCursor: string | null };
    const requests = async (scopes: Parameters<typeof t.call>[0], query = "") =>
      (await (await t.call(scopes, `/v1/extension-requests${query}`)).json()) as RequestPage;
    const all = await requests(["commission"]);
    expect(all.items.map((r) => `${r.unitId} ${r.state} ${r.dueOn} ${r.newDueOn}`)).toEqual([
      "team-1 refused 2026-03-09 null",
      "town-chengguan granted 2026-03-09 2026-03-12",
    ]);
    expect(all.items[0]?.reason).toBe("需调取外地材料");
    expect((await requests(["commission"], "?state=granted&limit=1")).items.map((r) => r.requestId)).toEqual([granted.requestId]);
    const firstPage = await requests(["commission"], "?limit=1");
    expect((await requests(["commission"], `?limit=1&cursor=${firstPage.nextCursor}`)).items.map((r) => r.requestId)).toEqual([
      granted.requestId,
    ]);
    expect((await requests(["unit:town-chengguan"])).items.map((r) => r.requestId)).toEqual([granted.requestId]);
    expect((await requests(["unit:town-xiliu"])).items).toEqual([]);
    expect((await t.call(["leader:leader-deputy-secretary"], "/v1/extension-requests")).status).toBe(403);

    const detail = (await (await t.call(["commission"], `/v1/clues/${routed.decision.clueId}`)).json()) as ClueDetail;
    const dueOf = (id: string) => detail.assignments.find((a) => a.assignmentId === id)?.acceptDueOn;
    expect([dueOf(lead), dueOf(assist)]).toEqual(["2026-03-12", "2026-03-09"]);

    const fired = async () =>
      (
        await db.query<{ event: string; payload: { deadline: { unitId: string } } }>(
          "select event, payload from ledger_log where actor = 'deadline-scan' and event like 'deadline.%' order by seq, part",
        )
      ).rows.map((row) => `${row.event} ${row.payload.deadline.unitId}`);
    t.clock.set("2026-03-06T08:00:00+08:00");
    expect(await scan()).toMatchObject({ reminders: 1, overdue: 0 }); // team-1 only: chengguan's reminder moved
    t.clock.set("2026-03-10T00:01:00+08:00");
    expect(await scan()).toMatchObject({ reminders: 0, overdue: 1 });
    t.clock.set("2026-03-11T08:00:00+08:00");
    expect(await scan()).toMatchObject({ reminders: 1, overdue: 0 });
    t.clock.set("2026-03-12T23:59:00+08:00");
    expect(await scan()).toMatchObject({ reminders: 0, overdue: 0 });
    t.clock.set("2026-03-13T00:01:00+08:00");
    expect(await scan()).toMatchObject({ reminders: 0, overdue: 1 });
    expect(await fired()).toEqual([
      "deadline.reminder team-1",
      "deadline.overdue team-1",
      "deadline.supervision-ordered team-1",
      "deadline.reminder town-chengguan",
      "deadline.overdue town-chengguan",
      "deadline.supervision-ordered town-chengguan",
    ]);
    expect(await events("extension.granted")).toEqual([
      expect.objectContaining({
        requestId: granted.requestId,
        previousDueOn: "2026-03-09",
        workingDays: 3,
        deadline: { kind: "accept", dueOn: "2026-03-12", assignmentId: lead, unitId: "town-chengguan" },
      }),
    ]);
    expect(await events("extension.refused")).toEqual([
      expect.objectContaining({ requestId: refused.requestId, deadline: expect.objectContaining({ dueOn: "2026-03-09" }) }),
    ]);
    expect(JSON.stringify(await events("extension.requested"))).not.toContain("外地材料");
    // Nothing is left to extend on an overdue clock.
    expect((await ask(["unit:town-chengguan"], lead, reason)).status).toBe(409);
  });
});
