import type { Database } from "@clueline/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ClueDetail } from "../queries/views.js";
import { eventKey, routedFixture } from "../testing/fixtures.js";
import { createTestApp } from "../testing/test-app.js";
import { type TestDatabase, testDatabaseEngines } from "../testing/test-databases.js";

const identity = { name: "张三", phone: "13800138000" };
const supplementOriginal = { summary: "补充：我是张三，电话13800138000，他又来要钱了" };

describe.each(testDatabaseEngines())("a merged supplement's sealed original on $engine", ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  beforeEach(async () => {
    handle = await open();
    db = handle.db;
  });
  afterEach(() => handle.drop());

  it("is read, opened with its own complaint id, through the audited reporter read by the commission and nobody else", async () => {
    const t = createTestApp(db);
    const opener = `c-open-${Date.now()}`;
    const merged = `c-merged-${Date.now()}`;
    // A service clue: no discipline body leads it, so only the commission (and an operator while a call-back is due) may read.
    const routed = routedFixture({
      complaintId: opener,
      nature: "service",
      discipline: null,
      service: { lead: "dept-market", coLeads: [], informed: ["town-a"] },
      subjects: { departments: ["dept-market"], towns: [] },
      reporter: { kind: "real-name", hash: "f".repeat(64), identity: t.sealer.seal(identity, { complaintId: opener }) },
    });
    const clueId = routed.decision.clueId;
    await t.ledger.applyRouted({ key: eventKey(), routed });
    const supplement = routedFixture({
      complaintId: merged,
      mergedInto: clueId,
      text: "补充：我是[举报人]，电话[联系方式]，他又来要钱了",
      reporter: { kind: "real-name", hash: "f".repeat(64), identity: t.sealer.seal(identity, { complaintId: merged }) },
      sealedOriginal: t.sealer.sealOriginal(supplementOriginal, { complaintId: merged }),
    });
    expect(await t.ledger.applyRouted({ key: eventKey(), routed: supplement })).toBe("supplemented");

    const path = `/v1/clues/${clueId}/reporter`;
    const read = await t.call(["commission", "pii:read"], path);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual({ ...identity, supplements: [{ complaintId: merged, originalText: supplementOriginal }] });
    for (const scopes of [
      ["unit:dept-market", "pii:read"],
      ["unit:town-a", "pii:read"],
      ["complaint:write", "pii:read"],
      ["downstream:read", "pii:read"],
    ] as const) {
      const refused = await t.call([...scopes], path);
      expect(refused.status, scopes[0]).toBe(404);
      expect(await refused.text()).not.toContain("张三");
    }
    expect((await t.call(["commission"], path)).status).toBe(403);
    // One audit event, for the one read that disclosed.
    expect((await db.query("select 1 from ledger_log where stream = 'audit'")).rows).toHaveLength(1);

    // The units read the scrubbed text only.
    const detail = (await (await t.call(["unit:dept-market"], `/v1/clues/${clueId}`)).json()) as ClueDetail;
    const note = detail.history.find((h) => h.event === "clue.supplemented")?.note;
    expect(note).toBe("补充：我是[举报人]，电话[联系方式]，他又来要钱了");
    expect(JSON.stringify(detail)).not.toContain("13800138000");
  });

  it("cannot be opened as another complaint's: a seal moved to the merged complaint fails", async () => {
    const t = createTestApp(db);
    const routed = routedFixture({
      reporter: { kind: "real-name", hash: "f".repeat(64), identity: t.sealer.seal(identity, { complaintId: "c-a" }) },
      complaintId: "c-a",
    });
    await t.ledger.applyRouted({ key: eventKey(), routed });
    const moved = routedFixture({
      complaintId: "c-b",
      mergedInto: routed.decision.clueId,
      sealedOriginal: t.sealer.sealOriginal(supplementOriginal, { complaintId: "c-a" }),
    });
    await t.ledger.applyRouted({ key: eventKey(), routed: moved });
    const read = await t.call(["commission", "pii:read"], `/v1/clues/${routed.decision.clueId}/reporter`);
    expect(read.status).toBe(500);
    expect(await read.text()).not.toContain("张三");
    expect((await db.query("select 1 from ledger_log where stream = 'audit'")).rows).toEqual([]);
  });
});
