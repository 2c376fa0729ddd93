import { createPublisher, createTopicPreparer, type Publisher } from "@clueline/bus";
import {
  type ClueRouted,
  createUnitStreamView,
  type Event,
  parseUnitStreamRecord,
  type UnitClueChanged,
  unitClueTopic,
  unitTopicName,
} from "@clueline/contracts";
import type { Database } from "@clueline/db";
import { createTestKafka, createTestTopics, readTopic, uniqueName } from "@clueline/testing";
import pino from "pino";
import { ulid } from "ulid";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDeadlineScan } from "../deadline-scan/deadline-scan.js";
import { createOutboxRelay, type OutboxRelay } from "../outbox/outbox-relay.js";
import type { ClueDetail } from "../queries/views.js";
import { eventKey, routedFixture, testSupervision } from "../testing/fixtures.js";
import { createTestApp } from "../testing/test-app.js";
import { type TestDatabase, testDatabaseEngines } from "../testing/test-databases.js";
import type { UnitStreams } from "./unit-stream-records.js";

const logger = pino({ level: "silent" });
const kafka = createTestKafka();
const TEXT = "反映城关镇某站所工作人员办事索要好处费";
let publisher: Publisher;
beforeAll(async () => {
  publisher = createPublisher({ kafka, logger });
  await publisher.connect();
});
afterAll(() => publisher.close());

const pick = ({ channel, receivedAt, text, evidence }: ClueRouted["complaint"]) => ({ channel, receivedAt, text, evidence });

/** Every record of a topic from its start: as many as the broker holds, read with a throwaway group. */
async function replay(topic: string) {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const count = offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
  const records = await readTopic({ kafka, topic, count });
  expect(records).toHaveLength(count);
  return records;
}

describe.each(testDatabaseEngines())("unit streams on $engine", ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  let t: ReturnType<typeof createTestApp>;
  let relay: OutboxRelay;
  let prefix: string;
  let units: UnitStreams;
  beforeEach(async () => {
    handle = await open();
    db = handle.db;
    t = createTestApp(db);
    const [lifecycle, audit] = (await createTestTopics(kafka, ["lifecycle", "audit"], 1)) as [string, string];
    prefix = `${uniqueName("units")}.`;
    units = { prefix, prepare: createTopicPreparer({ kafka, partitions: 1 }) };
    relay = createOutboxRelay({
      db,
      publisher,
      logger,
      topics: { lifecycle, audit },
      units,
      source: "/clueline/closure",
      instanceId: "t",
    });
  });
  afterEach(() => handle.drop());

  const drain = async () => {
    while ((await relay.relayOnce()) > 0);
  };
  const detail = async (unitId: string, clueId: string) =>
    (await (await t.call([`unit:${unitId}`], `/v1/clues/${clueId}`)).json()) as ClueDetail;
  async function act(unitId: string, clueId: string, body: object) {
    const mine = (await detail(unitId, clueId)).assignments.find((a) => a.unitId === unitId && a.role === "lead");
    const response = await t.call([`unit:${unitId}`], `/v1/assignments/${mine?.assignmentId}/actions`, { body });
    expect(response.status).toBe(200);
  }
  async function concludeAndReply(unitId: string, clueId: string) {
    await act(unitId, clueId, { action: "conclude", result: "unsubstantiated", summary: "查无实据" });
    expect((await t.call([`unit:${unitId}`], `/v1/clues/${clueId}/reply`, { body: { reply: "经核查不属实" } })).status).toBe(204);
  }
  async function callBack(result: "dissatisfied") {
    const tasks = (await (await t.call(["complaint:write"], "/v1/call-backs")).json()) as { items: { taskId: string }[] };
    const path = `/v1/call-backs/${tasks.items[0]?.taskId}/result`;
    expect((await t.call(["complaint:write"], path, { body: { result } })).status).toBe(204);
  }
  /** The unit's clue list as `GET /v1/clues` answers it, every page. */
  async function listed(unitId: string) {
    const items: { clueId: string; roles: string[] }[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? "" : `&cursor=${cursor}`;
      const page = (await (await t.call([`unit:${unitId}`], `/v1/clues?limit=2${query}`)).json()) as {
        items: { clueId: string; roles: string[] }[];
        nextCursor: string | null;
      };
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return items
      .map((item) => ({ clueId: item.clueId, roles: [...item.roles].sort() }))
      .sort((a, b) => (a.clueId < b.clueId ? -1 : 1));
  }

  /** The unit's clues as its SSE stream sends them from the start, until it sent `count`. */
  async function streamed(unitId: string, count: number) {
    const reader = ((await t.call([`unit:${unitId}`], "/v1/stream")).body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = "";
    const clues = () =>
      [...text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1] ?? "") as { clueId: string; roles: string[] });
    while (clues().length < count) text += decoder.decode((await reader.read()).value);
    await reader.cancel();
    return clues()
      .map((clue) => ({ clueId: clue.clueId, roles: [...clue.roles].sort() }))
      .sort((a, b) => (a.clueId < b.clueId ? -1 : 1));
  }

  /** Every unit `clue_units` shows a clue to. */
  async function unitsShown() {
    const { rows } = await db.query<{ unit_id: string }>("select distinct unit_id from unit_clues order by unit_id");
    return rows.map((row) => row.unit_id);
  }

  /**
   * Replays each unit's topic from the start, folds it and checks the fold equals the API list and the SSE stream;
   * answers the records each unit applied. `resent`: the relay re-sent everything once, so duplicates were dropped.
   */
  async function rebuildEach(unitIds: string[], options: { resent: boolean }) {
    const changes = new Map<string, Event<UnitClueChanged>[]>();
    for (const unitId of unitIds) {
      const records = await replay(prefix + unitTopicName(unitId));
      const view = createUnitStreamView();
      const parsed = records.map((record) => parseUnitStreamRecord(record));
      const events = parsed.flatMap((record) => (record?.type === "clueline.unit.clue-changed" ? [record.event] : []));
      if (unitId === "town-chengguan" && options.resent) expect(parsed[0]?.type).toBe("clueline.unit.clue");
      const applied = events.filter((event) => view.apply(event));
      if (options.resent) expect(applied.length).toBeLessThan(events.length); // the re-sent duplicates were dropped
      const api = await listed(unitId);
      expect(view.clues(), unitId).toEqual(api);
      expect(await streamed(unitId, api.length), unitId).toEqual(api);
      changes.set(unitId, applied);
      for (const record of records) {
        expect(record.key).not.toBeNull();
        const value = String(record.value);
        if (record.headers.ce_type === "clueline.unit.clue-changed") expect(value).not.toContain(TEXT);
        expect(value).not.toContain("a".repeat(64));
      }
    }
    return changes;
  }

  /** A unit's records about one clue as `change:effect`, leaving out orders for late clocks. */
  const storyOf = (changes: Map<string, Event<UnitClueChanged>[]>) => (unitId: string, clueId: string) =>
    (changes.get(unitId) ?? [])
      .filter((e) => e.data.clueId === clueId && e.data.change !== "deadline.supervision-ordered")
      .map((e) => `${e.data.change}:${e.data.effect}`);

  it("rebuilds from each unit's topic exactly the clue list the API and SSE answer, through routing, transfer, escalation, supervision and triage", async () => {
    // Routed: town-chengguan leads, team-1 assists, the commission is informed; then a transfer to town-xiliu.
    const transferred = routedFixture();
    // The router's early notice goes to the same topic first; a subscriber's fold leaves it to the ledger's records.
    const { decision, complaint } = transferred;
    const notice = unitClueTopic("town-chengguan", prefix);
    await units.prepare([notice.name]);
    await publisher.publish({
      topic: notice.name,
      ...notice.serialize(
        {
          unitId: "town-chengguan",
          clueId: decision.clueId,
          complaintId: decision.complaintId,
          decisionId: decision.decisionId,
          roles: [{ track: "discipline", role: "lead" }],
          nature: decision.nature,
          categories: decision.categories,
          subjects: decision.subjects,
          reasons: decision.reasons,
          mergedInto: null,
          decidedAt: decision.decidedAt,
          complaint: { ...pick(complaint), reporterKind: "real-name" },
        },
        { source: "/clueline/router/units/town-chengguan", id: decision.decisionId, time: decision.decidedAt },
      ),
    });
    await t.ledger.applyRouted({ key: eventKey(), routed: transferred });
    await drain();
    const a = transferred.decision.clueId;
    await act("town-chengguan", a, { action: "transfer", scope: "unit", to: "town-xiliu", note: "属西柳镇" });

    // Dissatisfied twice: the lead's assignment reopens, then the commission takes the clue (提级, escalation).
    const escalated = routedFixture({ discipline: { lead: "town-a", assist: [], informed: ["dc"] } });
    await t.ledger.applyRouted({ key: eventKey(), routed: escalated });
    const b = escalated.decision.clueId;
    await act("town-a", b, { action: "accept" });
    await act("town-a", b, { action: "dispose", disposition: "close" });
    await concludeAndReply("town-a", b);
    await callBack("dissatisfied");
    await drain();
    await concludeAndReply("town-a", b);
    await callBack("dissatisfied");

    // Triage (分办): the commission leads an unclassified clue, classifies it, and its new routing informs team-2.
    const opening = routedFixture({
      nature: "unclassified",
      categories: [],
      discipline: { lead: "dc", assist: [], informed: [] },
    });
    await t.ledger.applyRouted({ key: eventKey(), routed: opening });
    const c = opening.decision.clueId;
    expect((await t.call(["commission"], `/v1/clues/${c}/classify`, { body: { category: "bribe-demand" } })).status).toBe(202);
    const rerouting: ClueRouted = {
      complaint: opening.complaint,
      decision: {
        ...opening.decision,
        decisionId: ulid(),
        nature: "discipline",
        categories: ["bribe-demand"],
        discipline: { lead: "town-b", assist: [], informed: ["dc", "team-2"] },
        reasons: [{ rule: "classification", detail: "the district commission classified the clue (分办): routed again" }],
        reroute: { of: opening.decision.decisionId, cause: "classification" },
      },
    };
    expect(await t.ledger.applyRouted({ key: eventKey(), routed: rerouting })).toBe("rerouted");

    // Nobody accepts town-b's or town-xiliu's clue in time: supervision orders (督办), the commission supervising.
    t.clock.set("2026-03-20T00:01:00+08:00");
    const scan = createDeadlineScan({ db, commissionUnit: "dc", supervision: testSupervision(), clock: t.clock.now });
    expect((await scan.scanOnce()).overdue).toBeGreaterThanOrEqual(2);
    await drain();
    // A relay that dies after the broker's ack and before taking events off the list re-sends them all, same ids.
    await db.query(
      "insert into ledger_outbox_statements (first_seq, seqs) select min(seq), array_agg(seq order by seq) from ledger_events",
    );
    await drain();

    const unitIds = await unitsShown();
    expect(unitIds).toEqual(["dc", "team-1", "team-2", "town-a", "town-b", "town-chengguan", "town-xiliu"]);
    const changes = await rebuildEach(unitIds, { resent: true });
    const story = storyOf(changes);

    // In ledger order per clue: the routing that gave town-chengguan the clue, then the transfer that took it. Orders
    // for late clocks come last, wherever a clock was missed (stories below leave them out; the views hold them).
    expect(story("town-chengguan", a)).toEqual(["assignment.assigned:given", "assignment.transferred:taken"]);
    expect(story("town-xiliu", a)).toEqual(["assignment.assigned:given"]);
    expect(story("town-a", b)).toEqual(["assignment.assigned:given", "assignment.reopened:given"]);
    expect(story("dc", b)).toEqual(["clue.opened:informed", "assignment.assigned:given"]);
    expect(story("dc", c)).toEqual(["assignment.assigned:given", "clue.informed:informed"]);
    expect(story("team-2", c)).toEqual(["clue.informed:informed"]);
    const ordered = changes.get("town-xiliu")?.find((e) => e.data.change === "deadline.supervision-ordered");
    expect(ordered?.data).toMatchObject({ clueId: a, effect: "given", role: null, orderId: expect.any(String) });
    expect(changes.get("dc")?.some((e) => e.data.clueId === a && e.data.role === "supervisor")).toBe(true);
    const escalation = changes.get("dc")?.find((e) => e.data.clueId === b && e.data.change === "assignment.assigned");
    expect(escalation?.data).toMatchObject({ cause: "escalation", role: "lead", assignment: { unitId: "dc", role: "lead" } });
    const transfer = changes.get("town-chengguan")?.find((e) => e.data.change === "assignment.transferred");
    expect(transfer?.data).toMatchObject({ to: "town-xiliu", role: null });
    expect(transfer?.attributes.source).toBe("/clueline/closure/units/town-chengguan");
  });

  it("rebuilds each unit's list through a return upheld, a return reassigned (改派), a redo and a supplement reopening", async () => {
    const returns = async () =>
      (
        (await (await t.call(["commission"], "/v1/returns?state=pending")).json()) as {
          items: { returnId: string; clueId: string }[];
        }
      ).items;
    const decide = async (clueId: string, body: object) => {
      const pending = (await returns()).find((r) => r.clueId === clueId);
      const response = await t.call(["commission"], `/v1/returns/${pending?.returnId}/decision`, { body });
      expect(response.status).toBe(200);
    };
    // Misrouted: town-chengguan returns it (退回), the commission reassigns it to town-xiguan, which accepts it.
    const misrouted = routedFixture();
    await t.ledger.applyRouted({ key: eventKey(), routed: misrouted });
    const d = misrouted.decision.clueId;
    await act("town-chengguan", d, { action: "return", reason: "属西关镇管辖" });
    await decide(d, { decision: "reassign", to: "town-xiguan", note: "改派西关镇" });
    await act("town-xiguan", d, { action: "accept" });
    // Returned but upheld: town-a must handle it after all.
    const kept = routedFixture({ discipline: { lead: "town-a", assist: [], informed: ["dc"] } });
    await t.ledger.applyRouted({ key: eventKey(), routed: kept });
    const g = kept.decision.clueId;
    await act("town-a", g, { action: "return", reason: "不属本镇" });
    await decide(g, { decision: "uphold" });
    // 发回重办: the commission sends town-b's concluded clue back, and town-b concludes it again.
    const redone = routedFixture({ discipline: { lead: "town-b", assist: [], informed: [] } });
    await t.ledger.applyRouted({ key: eventKey(), routed: redone });
    const e = redone.decision.clueId;
    await act("town-b", e, { action: "accept" });
    await act("town-b", e, { action: "dispose", disposition: "talk-or-letter" });
    await concludeAndReply("town-b", e);
    const redo = await t.call(["commission"], `/v1/clues/${e}/redo`, { body: { basis: "review", reason: "核查不细" } });
    expect(redo.status).toBe(200);
    await concludeAndReply("town-b", e);
    // A supplement from the same reporter reopens town-xiliu's concluded clue.
    const supplemented = routedFixture({ discipline: { lead: "town-xiliu", assist: [], informed: [] } });
    await t.ledger.applyRouted({ key: eventKey(), routed: supplemented });
    const f = supplemented.decision.clueId;
    await act("town-xiliu", f, { action: "accept" });
    await act("town-xiliu", f, { action: "dispose", disposition: "close" });
    await concludeAndReply("town-xiliu", f);
    const supplement = routedFixture({ clueId: f, mergedInto: f, discipline: null });
    expect(await t.ledger.applyRouted({ key: eventKey(), routed: supplement })).toBe("reopened");
    await drain();

    const unitIds = await unitsShown();
    expect(unitIds).toEqual(["dc", "team-1", "town-a", "town-b", "town-chengguan", "town-xiguan", "town-xiliu"]);
    const changes = await rebuildEach(unitIds, { resent: false });
    const story = storyOf(changes);
    expect(story("town-chengguan", d)).toEqual(["assignment.assigned:given", "assignment.return-decided:taken"]);
    expect(story("town-xiguan", d)).toEqual(["assignment.assigned:given"]);
    expect(story("town-a", g)).toEqual(["assignment.assigned:given", "assignment.return-decided:given"]);
    expect(story("town-b", e)).toEqual(["assignment.assigned:given", "assignment.reopened:given"]);
    expect(story("town-xiliu", f)).toEqual(["assignment.assigned:given", "assignment.reopened:given"]);
    const taken = changes.get("town-chengguan")?.find((x) => x.data.change === "assignment.return-decided");
    expect(taken?.data).toMatchObject({ clueId: d, role: null, to: "town-xiguan", assignment: { unitId: "town-chengguan" } });
    const reassigned = changes.get("town-xiguan")?.find((x) => x.data.clueId === d);
    expect(reassigned?.data).toMatchObject({ cause: "reassignment", role: "lead", assignment: { unitId: "town-xiguan" } });
    const upheld = changes.get("town-a")?.find((x) => x.data.change === "assignment.return-decided");
    expect(upheld?.data).toMatchObject({ clueId: g, role: null, cause: "upheld-return" });
  });
});
