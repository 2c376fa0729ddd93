import type { ConsumedRecord, OutgoingRecord, Publisher } from "@clueline/bus";
import {
  type ClueClassified,
  type ConductPatternDetected,
  clueRoutedTopic,
  type HotlineReceived,
  hotlineReceivedTopic,
  type LifecycleEvent,
  lifecycleTopic,
  type RoutingDecision,
  UnitClue,
  unitClueTopic,
  type WireRecord,
} from "@clueline/contracts";
import { pino } from "pino";
import { ulid } from "ulid";
import { describe, expect, it } from "vitest";
import { compileDirectory, defaultDirectoryPath, loadDirectory } from "../directory/index.js";
import { conductClue } from "../routing/conduct-clue.js";
import { createRerouter } from "../routing/create-rerouter.js";
import { createBatchRouter } from "../routing/index.js";
import { createMemoryRouterState } from "../state/index.js";
import { createChannelBatchHandler } from "./channel-handler.js";
import { createLifecycleBatchHandler } from "./lifecycle-handler.js";

/**
 * The commission classifies an unclassified clue (分办): the router routes the same clue again by the category it
 * chose, with the normal rules, and publishes the decision like a first routing (routed topic and unit streams).
 */
const directory = compileDirectory(await loadDirectory(defaultDirectoryPath));
const prefix = "test.";
const routedTopic = prefix + clueRoutedTopic.name;
const logger = pino({ level: "silent" });
const reporter = {
  kind: "real-name" as const,
  hash: "b".repeat(64),
  identity: { alg: "A256GCM" as const, keyId: "k1", iv: "aXY=", tag: "dGFn", ciphertext: "c2VjcmV0" },
};

let offset = 0;
function consumed(record: WireRecord, topic: string): ConsumedRecord {
  offset += 1;
  return {
    ...record,
    topic,
    partition: 0,
    offset: String(offset),
    value: Buffer.from(record.value as string | Buffer),
    timestamp: "0",
  };
}

/** A 12388 call no category matches: the district commission leads it for triage (rule 7). */
function unclassifiedCall(extra: Partial<HotlineReceived> = {}): ConsumedRecord {
  const receivedAt = "2026-11-20T09:00:00+08:00";
  const call: HotlineReceived = {
    complaintId: ulid(),
    channel: "hotline",
    line: "12388",
    callId: `call-${ulid()}`,
    operatorId: "op-7",
    startedAt: receivedAt,
    endedAt: receivedAt,
    receivedAt,
    summary: "来电人反映城关镇一名干部的事，情况说得比较含糊。",
    reporter,
    evidence: [],
    ...extra,
  };
  return consumed(hotlineReceivedTopic.serialize(call, { source: "/clueline/hotline" }), prefix + hotlineReceivedTopic.name);
}

function lifecycleRecord(event: LifecycleEvent, id = ulid()): ConsumedRecord {
  return consumed(lifecycleTopic.serialize(event, { source: "/clueline/closure", id }), prefix + lifecycleTopic.name);
}

/** What the closure sends when the commission classifies the clue the opening decision opened. */
function classifiedEvent(opening: RoutingDecision, category: string): ClueClassified {
  return {
    clueId: opening.clueId,
    occurredAt: "2026-11-21T02:00:00.000Z",
    actor: { kind: "unit", id: "dc" },
    event: "clue.classified",
    complaintId: opening.complaintId,
    category,
    channel: "hotline",
    receivedAt: "2026-11-20T01:00:00.000Z",
    subjects: opening.subjects,
    reporterKind: "real-name",
    mediaReach: null,
  };
}

function setUp() {
  const state = createMemoryRouterState();
  const published: OutgoingRecord[][] = [];
  const publisher: Publisher = {
    publish: async (record) => publisher.publishAll([record]),
    publishAll: async (records) => void published.push(records),
    connect: async () => {},
    close: async () => {},
  };
  const route = createChannelBatchHandler({
    routeBatch: createBatchRouter({ state, directory: () => directory }),
    publisher,
    topicPrefix: prefix,
    prepareTopics: async () => {},
  });
  const classify = createLifecycleBatchHandler({
    reroute: createRerouter({ state, directory: () => directory, clock: () => new Date("2026-11-21T02:00:01.000Z") }),
    conductClue: (input) => conductClue({ ...input, directory }),
    publisher,
    topicPrefix: prefix,
    prepareTopics: async () => {},
  });
  return {
    published,
    route: (records: ConsumedRecord[]) => route(records, { logger, attempt: 1 }),
    classify: (records: ConsumedRecord[]) => classify(records, { logger, attempt: 1 }),
  };
}

const routedOf = (records: readonly OutgoingRecord[]) =>
  records.filter((record) => record.topic === routedTopic).map((record) => clueRoutedTopic.parse(record as never).data);

describe("classification handler: a classified clue is routed again", () => {
  it("routes the same clue by the chosen category, says why, and fans it out to the new lead's stream", async () => {
    const t = setUp();
    await t.route([unclassifiedCall()]);
    const [first] = routedOf(t.published.splice(0)[0] ?? []);
    const opening = first?.decision as RoutingDecision;
    expect(opening.nature).toBe("unclassified");
    expect(opening.discipline?.lead).toBe("dc");

    const { poisoned } = await t.classify([lifecycleRecord(classifiedEvent(opening, "bribe-demand"))]);
    expect(poisoned).toEqual([]);
    const records = t.published.splice(0)[0] ?? [];
    const [rerouted] = routedOf(records);
    const decision = rerouted?.decision as RoutingDecision;
    expect(decision.clueId).toBe(opening.clueId);
    expect(decision.complaintId).toBe(opening.complaintId);
    expect(decision.decisionId).not.toBe(opening.decisionId);
    expect(decision.reroute).toEqual({ of: opening.decisionId, cause: "classification" });
    expect(decision.nature).toBe("discipline");
    expect(decision.categories).toEqual(["bribe-demand"]);
    expect(decision.discipline).toEqual({ lead: "town-chengguan", assist: [], informed: ["dc"] });
    expect(decision.reasons[0]).toMatchObject({ rule: "classification", matched: ["bribe-demand"] });
    expect(decision.reasons[0]?.detail).toContain("吃拿卡要");
    expect(decision.reasons).toContainEqual(
      expect.objectContaining({ rule: 1, detail: expect.stringContaining("the operator chose it") }),
    );
    // Published with the complaint as first published: the closure keeps its own, units read text and reporter kind.
    expect(rerouted?.complaint).toEqual(first?.complaint);
    expect(records.map((record) => record.topic).sort()).toEqual(
      [routedTopic, `${prefix}clueline.unit.dc.v1`, `${prefix}clueline.unit.town-chengguan.v1`].sort(),
    );
    const unitRecord = records.find((record) => record.topic.endsWith("town-chengguan.v1"));
    expect(unitRecord?.headers.ce_id).toBe(decision.decisionId);
    expect(unitRecord?.value?.toString()).not.toContain(reporter.hash);
  });

  it("gives a redelivered event the same decision id, and skips every other lifecycle event", async () => {
    const t = setUp();
    await t.route([unclassifiedCall()]);
    const opening = routedOf(t.published.splice(0)[0] ?? [])[0]?.decision as RoutingDecision;
    const eventId = ulid();
    const event = classifiedEvent(opening, "bribe-demand");
    await t.classify([lifecycleRecord(event, eventId)]);
    await t.classify([lifecycleRecord(event, eventId)]);
    const [once, twice] = t.published.splice(0).map((records) => routedOf(records)[0]?.decision);
    expect(twice?.decisionId).toBe(once?.decisionId);
    expect(once?.decisionId.slice(0, 10)).toBe(eventId.slice(0, 10));

    const opened: LifecycleEvent = {
      clueId: opening.clueId,
      occurredAt: "2026-11-21T02:00:00.000Z",
      actor: { kind: "system", id: "router" },
      event: "clue.reopened",
      reopenCount: 1,
    };
    const garbage = { ...lifecycleRecord(opened), value: Buffer.from("{not json") };
    const { poisoned } = await t.classify([lifecycleRecord(opened), garbage]);
    expect(t.published).toEqual([]);
    expect(poisoned.map((p) => p.record)).toEqual([garbage]);
  });

  it("applies the other rules with the persons the complaint named: a senior rank escalates to the commission", async () => {
    const t = setUp();
    await t.route([unclassifiedCall({ subjects: { towns: ["chengguan"], persons: [{ rank: "town-secretary" }] } })]);
    const opening = routedOf(t.published.splice(0)[0] ?? [])[0]?.decision as RoutingDecision;
    expect(opening.nature).toBe("unclassified");
    await t.classify([lifecycleRecord(classifiedEvent(opening, "bribe-demand"))]);
    const decision = routedOf(t.published.splice(0)[0] ?? [])[0]?.decision;
    expect(decision?.discipline).toMatchObject({ lead: "dc", assist: ["town-chengguan"] });
    expect(decision?.reasons).toContainEqual(expect.objectContaining({ rule: 5 }));
  });

  it("routes a service category to its owner", async () => {
    const t = setUp();
    await t.route([unclassifiedCall()]);
    const opening = routedOf(t.published.splice(0)[0] ?? [])[0]?.decision as RoutingDecision;
    await t.classify([lifecycleRecord(classifiedEvent(opening, "safety-hazard"))]);
    const decision = routedOf(t.published.splice(0)[0] ?? [])[0]?.decision;
    expect(decision?.nature).toBe("service");
    expect(decision?.service?.lead).toBe("dept-emergency");
    expect(decision?.discipline).toBeNull();
  });

  it("without a stored opening, dead-letters the event, anonymous or real-name (the topic carries no text)", async () => {
    const t = setUp();
    const opening = {
      clueId: ulid(),
      complaintId: ulid(),
      subjects: { departments: [], towns: ["chengguan"] },
    } as unknown as RoutingDecision;
    const realName = lifecycleRecord(classifiedEvent(opening, "bribe-demand"));
    const anonymous = lifecycleRecord({ ...classifiedEvent(opening, "bribe-demand"), reporterKind: "anonymous" });
    const { poisoned } = await t.classify([realName, anonymous]);
    expect(poisoned.map((p) => p.record)).toEqual([realName, anonymous]);
    expect(routedOf(t.published.flat())).toEqual([]);
  });
});

/** What the closure sends when three service assignments of the department went overdue within 30 days. */
function patternEvent(department: string, overrides: Partial<ConductPatternDetected> = {}): ConductPatternDetected {
  const clueIds = [ulid(), ulid(), ulid()];
  return {
    clueId: ulid(),
    occurredAt: "2026-11-25T01:00:00.000Z",
    actor: { kind: "system", id: "conduct-watch" },
    event: "conduct.pattern-detected",
    mode: "open",
    department,
    kinds: ["overdue"],
    window: { from: "2026-10-26T01:00:00.000Z", to: "2026-11-25T01:00:00.000Z", days: 30 },
    thresholds: { overdue: 3, dissatisfied: 3, returnsUpheld: 2 },
    evidence: clueIds.map((clueId, n) => ({
      id: `overdue:a-${n}`,
      kind: "overdue",
      department,
      clueId,
      occurredAt: `2026-11-2${n}T01:00:00.000Z`,
      detail: `service assignment a-${n} was not accepted by its deadline (2026-11-1${n})`,
    })),
    ...overrides,
  };
}

describe("lifecycle handler: a conduct pattern becomes a discipline clue (rule 10)", () => {
  it("opens a discipline clue about the department, led by its stationed team, listing the service clues", async () => {
    const t = setUp();
    const pattern = patternEvent("dept-market");
    const { poisoned } = await t.classify([lifecycleRecord(pattern)]);
    expect(poisoned).toEqual([]);
    const records = t.published.splice(0)[0] ?? [];
    const [routed, ...more] = routedOf(records);
    expect(more).toEqual([]);
    const decision = routed?.decision as RoutingDecision;
    expect(decision).toMatchObject({
      clueId: pattern.clueId,
      nature: "discipline",
      categories: ["shirking"],
      subjects: { departments: ["dept-market"], towns: [] },
      discipline: { lead: "team-2", assist: [], informed: ["dc"] },
      service: null,
      mergedInto: null,
    });
    const listed = decision.reasons.filter((reason) => reason.rule === 10).flatMap((reason) => reason.matched ?? []);
    for (const failure of pattern.evidence) expect(listed).toContain(failure.clueId);
    expect(routed?.complaint).toMatchObject({
      channel: "intake",
      reporter: { kind: "anonymous" },
      origin: { form: "conduct-pattern" },
    });
    expect(routed?.complaint.reporter).not.toHaveProperty("receiptHash");
    const streams = records
      .filter((record) => record.topic.includes(".unit."))
      .map((record) => record.topic)
      .sort();
    expect(streams).toEqual([prefix + unitClueTopic("dc").name, prefix + unitClueTopic("team-2").name].sort());
    const teamRecord = records.find((record) => record.topic === prefix + unitClueTopic("team-2").name);
    const unitClue = UnitClue.parse(JSON.parse(String(teamRecord?.value)));
    expect(unitClue.roles).toEqual([{ track: "discipline", role: "lead" }]);
  });

  it("has the commission lead when no stationed team covers the department", async () => {
    const t = setUp();
    await t.classify([lifecycleRecord(patternEvent("dept-statistics"))]);
    const [routed] = routedOf(t.published.splice(0)[0] ?? []);
    expect(routed?.decision.discipline).toEqual({ lead: "dc", assist: [], informed: [] });
  });

  it("supplements the open conduct clue instead of opening a second", async () => {
    const t = setUp();
    const open = patternEvent("dept-market");
    const supplement = patternEvent("dept-market", { mode: "supplement", clueId: open.clueId });
    await t.classify([lifecycleRecord(open), lifecycleRecord(supplement)]);
    const [first, second] = routedOf(t.published.splice(0)[0] ?? []);
    expect(first?.decision.mergedInto).toBeNull();
    expect(second?.decision).toMatchObject({ clueId: open.clueId, mergedInto: open.clueId, discipline: null, service: null });
    expect(second?.decision.complaintId).not.toBe(first?.decision.complaintId);
  });

  it("decides a redelivered pattern exactly as before", async () => {
    const t = setUp();
    const pattern = patternEvent("dept-market");
    const id = ulid();
    await t.classify([lifecycleRecord(pattern, id)]);
    await t.classify([lifecycleRecord(pattern, id)]);
    const [a, b] = t.published.splice(0).map((batch) => routedOf(batch)[0]);
    expect(b).toEqual(a);
  });

  it("dead-letters a pattern with no evidence", async () => {
    const t = setUp();
    const record = lifecycleRecord({ ...patternEvent("dept-market"), evidence: [] } as never);
    const { poisoned } = await t.classify([record]);
    expect(poisoned).toHaveLength(1);
    expect(t.published).toEqual([]);
  });
});
