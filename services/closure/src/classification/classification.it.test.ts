import { type ClueRouted, LifecycleEvent } from "@clueline/contracts";
import type { Database } from "@clueline/db";
import { ulid } from "ulid";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ClueDetail } from "../queries/views.js";
import { eventKey, routedFixture } from "../testing/fixtures.js";
import { createTestApp } from "../testing/test-app.js";
import { type TestDatabase, testDatabaseEngines } from "../testing/test-databases.js";

const REPORTER_HASH = "a".repeat(64);

/** An unclassified hotline complaint about chengguan: the commission leads it for triage (rule 7). */
function unclassifiedFixture(): ClueRouted {
  return routedFixture({
    nature: "unclassified",
    categories: [],
    subjects: { departments: [], towns: ["chengguan"] },
    discipline: { lead: "dc", assist: [], informed: [] },
    text: "城关镇有人办事总要拿点东西才给盖章",
  });
}

/** The router's new decision for the classified clue: town-chengguan leads, the commission is informed. */
function reroutingOf(opening: ClueRouted): ClueRouted {
  return {
    complaint: opening.complaint,
    decision: {
      ...opening.decision,
      decisionId: ulid(),
      nature: "discipline",
      categories: ["bribe-demand"],
      discipline: { lead: "town-chengguan", assist: [], informed: ["dc"] },
      reasons: [
        { rule: 1, detail: "category 吃拿卡要 (bribe-demand, conduct): the operator chose it", matched: ["bribe-demand"] },
        { rule: "classification", detail: "the district commission classified the clue (分办): routed again" },
      ],
      decidedAt: "2026-03-03T02:00:00.000Z",
      reroute: { of: opening.decision.decisionId, cause: "classification" },
    },
  };
}

describe.each(testDatabaseEngines())("classification (分办) on $engine", ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  let t: ReturnType<typeof createTestApp>;
  beforeEach(async () => {
    handle = await open();
    db = handle.db;
    t = createTestApp(db);
  });
  afterEach(() => handle.drop());

  const classify = (scopes: Parameters<typeof t.call>[0], clueId: string, body: unknown = { category: "bribe-demand" }) =>
    t.call(scopes, `/v1/clues/${clueId}/classify`, { body });

  async function lifecycle(clueId: string): Promise<{ event: LifecycleEvent; note: string | null }[]> {
    const { rows } = await db.query<{ payload: unknown; note: string | null }>(
      "select payload, note from ledger_log where clue_id = $1 and stream = 'lifecycle' order by seq, part",
      [clueId],
    );
    return rows.map((row) => ({
      event: LifecycleEvent.parse(typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload),
      note: row.note,
    }));
  }

  it("lets only the commission classify: 404 to a unit that cannot see the clue, 403 to others", async () => {
    const opening = unclassifiedFixture();
    await t.ledger.applyRouted({ key: eventKey(), routed: opening });
    const { clueId } = opening.decision;
    expect((await classify(["unit:town-chengguan"], clueId)).status).toBe(404);
    expect((await classify(["unit:dc"], clueId)).status).toBe(403);
    expect((await classify(["complaint:write"], clueId)).status).toBe(403);
    expect((await classify(["commission"], ulid())).status).toBe(404);
    expect((await classify(["commission"], clueId, { category: "Bribe Demand" })).status).toBe(400);
    expect((await classify(["commission"], clueId, { category: "bribe-demand", note: "坏\u0000" })).status).toBe(400);
    expect(await lifecycle(clueId)).not.toContainEqual(
      expect.objectContaining({ event: expect.objectContaining({ event: "clue.classified" }) }),
    );
  });

  it("records the pair, sends clue.classified without the reporter, and refuses a second time with 409", async () => {
    const opening = unclassifiedFixture();
    await t.ledger.applyRouted({ key: eventKey(), routed: opening });
    const { clueId } = opening.decision;
    const answer = await classify(["commission"], clueId, { category: "bribe-demand", note: "属吃拿卡要，回电13912345678" });
    expect(answer.status).toBe(202);
    expect(await answer.json()).toMatchObject({ clueId, category: "bribe-demand", complaintId: opening.decision.complaintId });

    const classified = (await lifecycle(clueId)).find((entry) => entry.event.event === "clue.classified");
    expect(classified?.event).toMatchObject({
      event: "clue.classified",
      category: "bribe-demand",
      channel: "hotline",
      receivedAt: opening.complaint.receivedAt,
      subjects: { departments: [], towns: ["chengguan"] },
      reporterKind: "real-name",
      mediaReach: null,
      actor: { kind: "unit", id: "dc" },
    });
    expect(classified?.event).not.toHaveProperty("text");
    expect(classified?.note).toContain("属吃拿卡要");
    expect(classified?.note).not.toContain("13912345678");
    const { rows: outbox } = await db.query<{ payload: unknown }>(
      `select e.payload from ledger_log e
       where e.seq in (select unnest(seqs) from ledger_outbox_statements) and e.clue_id = $1 and e.event = 'clue.classified'`,
      [clueId],
    );
    expect(outbox).toHaveLength(1);
    const wire = JSON.stringify(outbox[0]?.payload);
    expect(wire).not.toContain(REPORTER_HASH);
    expect(wire).not.toContain("ciphertext");
    expect(wire).not.toContain("13912345678");

    const again = await classify(["commission"], clueId, { category: "approval-delay" });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ status: 409, detail: expect.stringContaining("classified already") });

    const matched = routedFixture();
    await t.ledger.applyRouted({ key: eventKey(), routed: matched });
    const refused = await classify(["commission"], matched.decision.clueId);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { detail: string }).detail).toContain("discipline");
  });

  it("applies the re-routing: triage ends as classified, the new lead gets fresh work, once", async () => {
    const opening = unclassifiedFixture();
    const openingKey = eventKey();
    await t.ledger.applyRouted({ key: openingKey, routed: opening });
    const { clueId } = opening.decision;
    expect((await classify(["commission"], clueId)).status).toBe(202);

    const rerouting = reroutingOf(opening);
    const key = eventKey();
    t.clock.advanceHours(1);
    expect(await t.ledger.applyRouted({ key, routed: rerouting })).toBe("rerouted");
    expect(await t.ledger.applyRouted({ key, routed: rerouting })).toBe("duplicate");
    expect(await t.ledger.applyRouted({ key: eventKey(), routed: reroutingOf(opening) })).toBe("known");
    // The opening delivered again finds the re-routed clue and changes nothing (the events below are all there are).
    expect(await t.ledger.applyRouted({ key: openingKey, routed: opening })).toBe("known");

    const detail = (await (await t.call(["unit:town-chengguan"], `/v1/clues/${clueId}`)).json()) as ClueDetail;
    expect(detail.nature).toBe("discipline");
    expect(detail.categories).toEqual(["bribe-demand"]);
    expect(detail.state).toBe("open");
    expect(detail.reasons).toContainEqual(expect.objectContaining({ rule: "classification" }));
    expect(detail.assignments.map((a) => [a.unitId, a.state, a.cause, a.result])).toEqual([
      ["dc", "concluded", "routing", "classified"],
      ["town-chengguan", "assigned", "classification", null],
    ]);
    expect(detail.assignments[1]?.acceptDueOn).not.toBeNull();
    const clocks = detail.deadlines.filter((d) => d.kind === "accept").map((d) => [d.unitId, d.stage]);
    expect(clocks).toEqual(
      expect.arrayContaining([
        ["dc", "met"],
        ["town-chengguan", "pending"],
      ]),
    );
    const inbox = (await (await t.call(["unit:town-chengguan"], "/v1/clues")).json()) as { items: { clueId: string }[] };
    expect(inbox.items.map((item) => item.clueId)).toEqual([clueId]);

    const events = (await lifecycle(clueId)).map((entry) => entry.event);
    expect(events.map((e) => e.event)).toEqual([
      "clue.opened",
      "assignment.assigned",
      "clue.classified",
      "assignment.concluded",
      "assignment.assigned",
      "clue.informed",
    ]);
    expect(events[5]).toMatchObject({ units: ["dc"], cause: "classification" });
    expect(events[3]).toMatchObject({ result: "classified", from: "assigned", to: "concluded" });
    expect(events[4]).toMatchObject({ cause: "classification", assignment: { unitId: "town-chengguan", role: "lead" } });
  });

  it("lets the commission choose again when the router left the clue unclassified, replacing the pair", async () => {
    const opening = unclassifiedFixture();
    await t.ledger.applyRouted({ key: eventKey(), routed: opening });
    const { clueId } = opening.decision;
    expect((await classify(["commission"], clueId, { category: "no-such-category" })).status).toBe(202);
    const stillTriage: ClueRouted = {
      complaint: opening.complaint,
      decision: {
        ...opening.decision,
        decisionId: ulid(),
        reasons: [{ rule: 1, detail: 'operator category "no-such-category" is not in the taxonomy; ignored' }],
        reroute: { of: opening.decision.decisionId, cause: "classification" },
      },
    };
    expect(await t.ledger.applyRouted({ key: eventKey(), routed: stillTriage })).toBe("rerouted");
    const detail = (await (await t.call(["commission"], `/v1/clues/${clueId}`)).json()) as ClueDetail;
    expect(detail.assignments.map((a) => [a.unitId, a.state, a.cause])).toEqual([
      ["dc", "concluded", "routing"],
      ["dc", "assigned", "classification"],
    ]);

    expect((await classify(["commission"], clueId, { category: "bribe-demand" })).status).toBe(202);
    const lines = (await (await t.call(["commission"], "/v1/classifications")).text()).trim().split("\n");
    expect(lines.map((line) => JSON.parse(line))).toEqual([expect.objectContaining({ id: clueId, category: "bribe-demand" })]);
    expect(await t.ledger.applyRouted({ key: eventKey(), routed: reroutingOf(opening) })).toBe("rerouted");
    expect((await classify(["commission"], clueId)).status).toBe(409);
  });

  it("leaves a clue no re-routing was asked for as it is", async () => {
    const opening = unclassifiedFixture();
    await t.ledger.applyRouted({ key: eventKey(), routed: opening });
    expect(await t.ledger.applyRouted({ key: eventKey(), routed: reroutingOf(opening) })).toBe("known");
    const detail = (await (await t.call(["commission"], `/v1/clues/${opening.decision.clueId}`)).json()) as ClueDetail;
    expect(detail.assignments.map((a) => [a.unitId, a.state])).toEqual([["dc", "assigned"]]);
    await expect(t.ledger.applyRouted({ key: eventKey(), routed: reroutingOf(unclassifiedFixture()) })).rejects.toThrow(
      /no clue/,
    );
  });

  it("lists the pairs as NDJSON for the commission, oldest first, from `since`", async () => {
    const first = unclassifiedFixture();
    const second = unclassifiedFixture();
    for (const routed of [first, second]) await t.ledger.applyRouted({ key: eventKey(), routed });
    await classify(["commission"], first.decision.clueId, { category: "bribe-demand" });
    t.clock.advanceHours(2);
    const between = t.clock.now().toISOString();
    t.clock.advanceHours(2);
    await classify(["commission"], second.decision.clueId, { category: "approval-delay" });

    const all = await t.call(["commission"], "/v1/classifications");
    expect(all.status).toBe(200);
    expect(all.headers.get("content-type")).toContain("application/x-ndjson");
    const lines = (await all.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      { id: first.decision.clueId, text: first.complaint.text, category: "bribe-demand", classifiedAt: expect.any(String) },
      { id: second.decision.clueId, text: second.complaint.text, category: "approval-delay", classifiedAt: expect.any(String) },
    ]);
    const later = await (await t.call(["commission"], `/v1/classifications?since=${encodeURIComponent(between)}`)).text();
    expect(
      later
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line).id),
    ).toEqual([second.decision.clueId]);
    expect((await t.call(["unit:dc"], "/v1/classifications")).status).toBe(403);
    expect((await t.call(["commission"], "/v1/classifications?since=yesterday")).status).toBe(400);
  });
});
