import { feedbackTopic } from "@clueline/contracts";
import type { Database } from "@clueline/db";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFeedbackHandler } from "./consume/ledger-handlers.js";
import type { ClueDetail } from "./queries/views.js";
import { eventKey, routedFixture } from "./testing/fixtures.js";
import { createTestApp } from "./testing/test-app.js";
import { type TestDatabase, testDatabaseEngines } from "./testing/test-databases.js";

const identity = { name: "张三", phone: "13800138000", idNumber: "110105199001011234" };
/** Every form of the reporter's identity the tests write; none may be stored or shown. */
const secrets = ["张三", "张 三", "13800138000", "138-0013-8000", "１３８００１３８０００", "幺三八", "110105199001011234"];
const callBackNote =
  "张三不满意，回拨13800138000；张 三说也可打+86 138-0013-8000 或 １３８００１３８０００、幺三八零零幺三八零零零，身份证110105199001011234";
const operator = ["complaint:write"] as const;
/** Lead, assisting, informed (the department the complaint is about) and the commission. */
const readers = [["unit:town-a"], ["unit:team-1"], ["unit:dept-market"], ["commission"]] as const;

describe.each(testDatabaseEngines())("notes written about a clue on $engine", ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  beforeEach(async () => {
    handle = await open();
    db = handle.db;
  });
  afterEach(() => handle.drop());

  /** A real-name clue led by town-a, concluded and answered with notes that quote the reporter, a call-back due. */
  async function answeredClue(t: ReturnType<typeof createTestApp>) {
    const complaintId = `c-${Date.now()}-${Math.random()}`;
    const routed = routedFixture({
      complaintId,
      discipline: { lead: "town-a", assist: ["team-1"], informed: ["dept-market"] },
      subjects: { departments: ["dept-market"], towns: ["a"] },
      reporter: { kind: "real-name", hash: "e".repeat(64), identity: t.sealer.seal(identity, { complaintId }) },
    });
    const clueId = routed.decision.clueId;
    await t.ledger.applyRouted({ key: eventKey(), routed });
    const detail = (await (await t.call(["unit:town-a"], `/v1/clues/${clueId}`)).json()) as ClueDetail;
    const lead = detail.assignments.find((a) => a.role === "lead");
    const path = `/v1/assignments/${lead?.assignmentId}/actions`;
    for (const body of [
      { action: "accept" },
      { action: "dispose", disposition: "handling", note: "已电话联系138-0013-8000" },
      { action: "progress", note: "举报人留的QQ号是 12345678，手机 １３８００１３８０００" },
      { action: "conclude", result: "resolved", summary: "办结，回访电话 138 0013 8000" },
    ])
      expect((await t.call(["unit:town-a"], path, { body })).status).toBe(200);
    const reply = { reply: "张三同志：经核查属实，如有疑问请拨13800138000" };
    expect((await t.call(["unit:town-a"], `/v1/clues/${clueId}/reply`, { body: reply })).status).toBe(204);
    return clueId;
  }

  /** What every reader is shown, and everything the ledger stored, hold none of the identity's forms. */
  async function expectScrubbedEverywhere(t: ReturnType<typeof createTestApp>, clueId: string) {
    for (const scopes of readers) {
      const response = await t.call([...scopes], `/v1/clues/${clueId}`);
      expect(response.status).toBe(200);
      const detail = (await response.json()) as ClueDetail;
      const note = detail.history.find((h) => h.event === "clue.call-back-recorded")?.note;
      expect(note, scopes[0]).toContain("不满意");
      expect(note).toContain("[举报人]");
      expect(note).toContain("[联系方式]");
      expect(detail.reply).toContain("[举报人]同志");
      const shown = JSON.stringify(detail);
      for (const secret of secrets) expect(shown.includes(secret), `${scopes[0]} is shown ${secret}`).toBe(false);
    }
    const stored = await db.query(
      `select (select json_agg(note) from ledger_log where clue_id = $1) as notes,
         (select json_agg(payload) from ledger_log where clue_id = $1) as payloads,
         (select json_agg(note) from call_backs where clue_id = $1) as call_backs,
         (select json_agg(summary) from assignments where clue_id = $1) as summaries,
         (select reply from clues where clue_id = $1) as reply`,
      [clueId],
    );
    const text = JSON.stringify(stored.rows);
    expect(text).toContain("不满意");
    for (const secret of secrets) expect(text.includes(secret), `the ledger stores ${secret}`).toBe(false);
    const payloads = JSON.stringify(stored.rows[0]?.payloads);
    for (const marker of ["[举报人]", "[联系方式]", "不满意"]) expect(payloads).not.toContain(marker); // notes stay off events
  }

  it("stores a call-back note from the hotline route scrubbed of contacts and the reporter's own identity", async () => {
    const t = createTestApp(db);
    const clueId = await answeredClue(t);
    const tasks = (await (await t.call([...operator], "/v1/call-backs")).json()) as { items: { taskId: string }[] };
    const path = `/v1/call-backs/${tasks.items[0]?.taskId}/result`;
    expect((await t.call([...operator], path, { body: { result: "dissatisfied", note: callBackNote } })).status).toBe(204);
    await expectScrubbedEverywhere(t, clueId);
    // The identity was opened to scrub, not disclosed: no pii.read audit event.
    expect((await db.query("select 1 from ledger_log where stream = 'audit'")).rows).toEqual([]);
  });

  it("stores a call-back arriving on the feedback topic scrubbed the same way", async () => {
    const t = createTestApp(db);
    const clueId = await answeredClue(t);
    const feedback = {
      kind: "call-back",
      clueId,
      operatorId: "op-7",
      result: "dissatisfied",
      note: callBackNote,
      calledAt: t.clock.now().toISOString(),
    } as const;
    const serialized = feedbackTopic.serialize(feedback, { source: "/clueline/hotline" });
    const record = { topic: "feedback", partition: 0, offset: "0", timestamp: "0", ...serialized };
    const handle = createFeedbackHandler({ ledger: t.ledger });
    await handle({ ...record, value: record.value as Buffer }, { logger: pino({ level: "silent" }), attempt: 1 });
    await expectScrubbedEverywhere(t, clueId);
  });
});
