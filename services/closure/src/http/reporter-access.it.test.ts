import type { Database } from "@clueline/db";
import type { Scope } from "@clueline/kit";
import { ulid } from "ulid";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eventKey, routedFixture } from "../testing/fixtures.js";
import { createTestApp } from "../testing/test-app.js";
import { type TestDatabase, testDatabaseEngines } from "../testing/test-databases.js";

const IDENTITY = { name: "李四", phone: "13900139000" };
type ClueName =
  | "discipline"
  | "service"
  | "escalated"
  | "transferred-out"
  | "moved-to-town"
  | "moved-to-dept"
  | "moved-to-dc"
  | "call-back";

/**
 * Callers (their scopes) and the clues DESIGN §8 lets each open, written from the table by hand. Every other
 * caller with pii:read gets the 404 of a clue that does not exist; without pii:read, 403.
 */
const callers: [Scope[], ClueName[] | "all"][] = [
  [["commission", "pii:read"], "all"],
  [["unit:team-1", "pii:read"], ["discipline"]], // stationed team leading the discipline track
  [["unit:town-xiguan", "pii:read"], ["moved-to-town"]], // assists "discipline"; leads "moved-to-town" by a transfer
  // Informed elsewhere; leads "escalated" since the escalation, and "moved-to-dc" by a transfer: a discipline body
  // known to the ledger only by that escalation.
  [
    ["unit:dc", "pii:read"],
    ["escalated", "moved-to-dc"],
  ],
  [["unit:town-b", "pii:read"], []], // led "escalated" until the reporter's dissatisfaction took it to dc
  [["unit:town-c", "pii:read"], []], // transferred its three clues away
  [["unit:town-d", "pii:read"], ["call-back"]],
  [["unit:dept-market", "pii:read"], []], // subject of "discipline", service lead of "service", lead of "moved-to-dept"
  [["unit:dept-biz", "pii:read"], []], // informed of "service"
  [["unit:city-dc", "pii:read"], []], // outside the district: "transferred-out" went to it
  [["complaint:write", "pii:read"], ["call-back"]],
  [["downstream:read", "pii:read"], []],
  [["media:write", "pii:read"], []],
  [["pii:read"], []],
  [["commission"], []],
  [["unit:team-1"], []],
  [["complaint:write"], []],
];

describe.each(testDatabaseEngines())("reporter identity access on $engine", ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  let t: ReturnType<typeof createTestApp>;
  beforeEach(async () => {
    handle = await open();
    db = handle.db;
    t = createTestApp(db);
  });
  afterEach(() => handle.drop());

  async function openClue(overrides: Parameters<typeof routedFixture>[0]): Promise<string> {
    // Seals are bound to their complaint (DESIGN §8): sealed for the complaint the fixture opens the clue with.
    const complaintId = `c-${ulid()}`;
    const reporter = { kind: "real-name" as const, hash: "d".repeat(64), identity: t.sealer.seal(IDENTITY, { complaintId }) };
    const routed = routedFixture({ reporter, complaintId, ...overrides });
    await t.ledger.applyRouted({ key: eventKey(), routed });
    return routed.decision.clueId;
  }
  const leadOf = async (clueId: string, unitId: string) => {
    const { rows } = await db.query<{ assignment_id: string }>(
      "select assignment_id from assignments where clue_id = $1 and unit_id = $2 and role = 'lead'",
      [clueId, unitId],
    );
    return String(rows[0]?.assignment_id);
  };
  const act = async (clueId: string, unitId: string, action: Parameters<typeof t.ledger.act>[0]["act"]) =>
    t.ledger.act({ assignmentId: await leadOf(clueId, unitId), unitId, subject: "insp", act: action });
  async function concludeAndReply(clueId: string, unitId: string, first = true) {
    if (first) {
      await act(clueId, unitId, { action: "accept" });
      await act(clueId, unitId, { action: "dispose", disposition: "preliminary-verification", complex: false });
    }
    await act(clueId, unitId, { action: "conclude", result: "substantiated", summary: "查实" });
    await t.ledger.feedBack({ clueId, unitId, subject: "insp", reply: "已处理" });
  }

  async function seed(): Promise<Record<ClueName, string>> {
    const town = (lead: string) => ({ discipline: { lead, assist: [], informed: ["dc"] } });
    const clues = {
      discipline: await openClue({
        discipline: { lead: "team-1", assist: ["town-xiguan"], informed: ["dc"] },
        subjects: { departments: ["dept-market"], towns: ["a"] },
      }),
      service: await openClue({
        nature: "service",
        categories: ["approval-delay"],
        discipline: null,
        service: { lead: "dept-market", coLeads: [], informed: ["dept-biz"] },
        subjects: { departments: ["dept-market"], towns: [] },
      }),
      escalated: await openClue(town("town-b")),
      "transferred-out": await openClue({
        discipline: null,
        transfer: { to: "city-dc", alsoTo: [], informed: ["dc"] },
        subjects: { departments: ["dept-water"], towns: [] },
      }),
      "moved-to-town": await openClue(town("town-c")),
      "moved-to-dept": await openClue({ ...town("town-c"), subjects: { departments: [], towns: ["c"] } }),
      "moved-to-dc": await openClue({ discipline: { lead: "town-c", assist: [], informed: [] } }),
      "call-back": await openClue(town("town-d")),
    };
    // Two dissatisfied call-backs: the commission takes the clue over (DESIGN §7).
    await concludeAndReply(clues.escalated, "town-b");
    await t.ledger.recordCallBack({ clueId: clues.escalated, operatorId: "op", result: "dissatisfied" });
    await concludeAndReply(clues.escalated, "town-b", false);
    await t.ledger.recordCallBack({ clueId: clues.escalated, operatorId: "op", result: "dissatisfied" });
    await act(clues["moved-to-town"], "town-c", { action: "transfer", to: "town-xiguan", scope: "unit" });
    await act(clues["moved-to-dept"], "town-c", { action: "transfer", to: "dept-market", scope: "unit" });
    await act(clues["moved-to-dc"], "town-c", { action: "transfer", to: "dc", scope: "unit" });
    await concludeAndReply(clues["call-back"], "town-d");
    return clues;
  }

  it("opens the identity only where the table allows, hides it everywhere else like a missing clue, audits each read", async () => {
    const clues = await seed();
    const { rows: leads } = await db.query<{ unit_id: string; state: string; cause: string }>(
      "select unit_id, state, cause from assignments where clue_id = $1 and role = 'lead' order by unit_id desc",
      [clues.escalated],
    );
    expect(leads.map((l) => `${l.unit_id} ${l.state} ${l.cause}`)).toEqual([
      "town-b concluded routing",
      "dc assigned escalation",
    ]);

    const missing = `/v1/clues/${ulid()}/reporter`;
    const problemOf = async (response: Response, path: string) => {
      const { requestId, instance, ...rest } = (await response.json()) as Record<string, unknown>;
      expect(instance).toBe(path);
      return rest;
    };
    const noSuchClue = await problemOf(await t.call(["commission", "pii:read"], missing), missing);
    expect(noSuchClue).toMatchObject({ status: 404 });

    const opened: string[] = [];
    const wrong: string[] = [];
    for (const [scopes, may] of callers) {
      for (const [name, clueId] of Object.entries(clues) as [ClueName, string][]) {
        const path = `/v1/clues/${clueId}/reporter`;
        const response = await t.call(scopes, path);
        const allowed = may === "all" || may.includes(name);
        const want = allowed ? 200 : scopes.includes("pii:read") ? 404 : 403;
        const cell = `${scopes.join("+")} on ${name}`;
        if (response.status !== want) wrong.push(`${cell}: ${response.status}, expected ${want}`);
        else if (want === 200) {
          expect(await response.json(), cell).toEqual(IDENTITY);
          expect(response.headers.get("cache-control")).toBe("no-store");
          opened.push(`as-${scopes.join("+")} ${clueId}`);
        } else if (want === 404) expect(await problemOf(response, path), cell).toEqual(noSuchClue);
        else expect(response.headers.get("content-type")).toBe("application/problem+json");
      }
    }
    expect(wrong).toEqual([]);
    expect(opened).toHaveLength(8 + 6);

    const { rows } = await db.query<{ payload: { action: string; actor: string; target: { id: string } } }>(
      "select payload from ledger_log where stream = 'audit' order by seq, part",
    );
    const audited = rows.filter((r) => r.payload.action === "pii.read").map((r) => `${r.payload.actor} ${r.payload.target.id}`);
    expect(audited).toEqual(opened);
  });
});
