import type { ConsumedRecord, OutgoingRecord, Publisher } from "@clueline/bus";
import { clueRoutedTopic, type HotlineReceived, hotlineReceivedTopic } from "@clueline/contracts";
import { pino } from "pino";
import { ulid } from "ulid";
import { afterEach, describe, expect, it, vi } from "vitest";
import { compileDirectory, defaultDirectoryPath, loadDirectory } from "../directory/index.js";
import { createBatchRouter } from "../routing/index.js";
import { createMemoryRouterState } from "../state/index.js";
import { createChannelBatchHandler } from "./channel-handler.js";
import { normalize } from "./normalize.js";

/**
 * A merge (rule 8) must never reach `clueline.clue.routed.v1` before its clue's opening decision, even when the
 * opening's own batch failed to publish and is replayed later: the merge's records start with the opening again.
 */
const directory = compileDirectory(await loadDirectory(defaultDirectoryPath));
const prefix = "test.";
const routedTopic = prefix + clueRoutedTopic.name;
const logger = pino({ level: "silent" });
const reporter = {
  kind: "real-name" as const,
  hash: "a".repeat(64),
  identity: { alg: "A256GCM" as const, keyId: "k1", iv: "aXY=", tag: "dGFn", ciphertext: "c2VjcmV0" },
};

let offset = 0;
function callRecord(receivedAt: string, extra: Partial<HotlineReceived> = {}): ConsumedRecord {
  const call: HotlineReceived = {
    complaintId: ulid(),
    channel: "hotline",
    line: "12388",
    callId: `call-${ulid()}`,
    operatorId: "op-7",
    startedAt: receivedAt,
    endedAt: receivedAt,
    receivedAt,
    summary: "反映城关镇政府工作人员办事吃拿卡要，索要好处费。",
    reporter,
    evidence: [],
    ...extra,
  };
  offset += 1;
  const record = hotlineReceivedTopic.serialize(call, { source: "/clueline/hotline" });
  return {
    ...record,
    topic: prefix + hotlineReceivedTopic.name,
    partition: 0,
    offset: String(offset),
    value: Buffer.from(record.value as string | Buffer),
    timestamp: "0",
  };
}

/** A publisher that records each publishAll call, attempted or not, and fails while `down` is set. */
function fakePublisher() {
  const calls: OutgoingRecord[][] = [];
  const state = { down: false };
  const publisher: Publisher = {
    publish: async (record) => publisher.publishAll([record]),
    async publishAll(records) {
      calls.push(records);
      if (state.down) throw new Error("broker down");
    },
    connect: async () => {},
    close: async () => {},
  };
  return { publisher, calls, state };
}

function setUp() {
  const { publisher, calls, state } = fakePublisher();
  const handle = createChannelBatchHandler({
    routeBatch: createBatchRouter({ state: createMemoryRouterState(), directory: () => directory }),
    publisher,
    topicPrefix: prefix,
    prepareTopics: async () => {},
  });
  const run = (records: ConsumedRecord[]) => handle(records, { logger, attempt: 1 });
  return { run, calls, broker: state };
}

const routedOnly = (records: readonly OutgoingRecord[]) => records.filter((record) => record.topic === routedTopic);
const decisionOf = (record: OutgoingRecord | undefined) => clueRoutedTopic.parse(record as never).data.decision;

describe("channel handler: a merge travels behind its clue's opening", () => {
  afterEach(() => vi.restoreAllMocks());

  it("republishes the opening, byte-identical, right before a merge decided in a later batch whose opening publish failed", async () => {
    const { run, calls, broker } = setUp();
    const a = callRecord("2026-11-20T09:00:00+08:00");
    const b = callRecord("2026-11-21T09:00:00+08:00");

    // A is decided and stored, but its publish fails: the runner will replay A's batch later.
    broker.down = true;
    await expect(run([a])).rejects.toThrow("broker down");
    broker.down = false;
    const [openingOriginal] = routedOnly(calls.splice(0)[0] ?? []);
    const opening = decisionOf(openingOriginal);
    expect(opening.mergedInto).toBeNull();

    // B (same reporter, same town) is merged into A's clue from another partition, before A's batch is replayed.
    await run([b]);
    const [outgoing] = calls.splice(0);
    expect(outgoing).toHaveLength(2);
    const [first, merge] = outgoing as [OutgoingRecord, OutgoingRecord];
    expect(decisionOf(merge).mergedInto).toBe(opening.clueId);
    expect(first).toEqual(openingOriginal);
    expect(Buffer.compare(first.value as Buffer, openingOriginal?.value as Buffer)).toBe(0);
    expect(first.headers.ce_id).toBe(opening.decisionId);
    expect(first.key).toBe(merge.key);

    // A redelivered merge carries the opening again; A's replay then publishes the same opening once more.
    await run([b]);
    expect(calls.splice(0)[0]).toEqual(outgoing);
    await run([a]);
    expect(routedOnly(calls.splice(0)[0] ?? [])).toEqual([openingOriginal]);
  });

  it("puts the opening right before a merge decided in the same batch", async () => {
    const { run, calls } = setUp();
    await run([callRecord("2026-11-20T09:00:00+08:00"), callRecord("2026-11-21T09:00:00+08:00")]);
    const routed = routedOnly(calls[0] ?? []);
    expect(routed).toHaveLength(3);
    const [opening, again, merge] = routed as [OutgoingRecord, OutgoingRecord, OutgoingRecord];
    expect(decisionOf(merge).mergedInto).toBe(decisionOf(opening).clueId);
    expect(again).toEqual(opening);
    const records = calls[0] ?? [];
    expect(records.indexOf(again)).toBe(records.indexOf(merge) - 1);
  });

  it("builds an opening's routed record once, for the stored value and the publish alike", async () => {
    const { run, calls } = setUp();
    const serialize = vi.spyOn(clueRoutedTopic, "serialize");
    await run([callRecord("2026-11-20T09:00:00+08:00")]);
    const [opening] = routedOnly(calls.splice(0)[0] ?? []);
    expect(decisionOf(opening).mergedInto).toBeNull();
    expect(serialize).toHaveBeenCalledTimes(1);
    // A batch with a merge: the merge's record, and the opening again from its stored value.
    serialize.mockClear();
    await run([callRecord("2026-11-21T09:00:00+08:00")]);
    expect(routedOnly(calls[0] ?? [])).toHaveLength(2);
    expect(serialize).toHaveBeenCalledTimes(2);
  });

  it("keeps the unit fan-out of an opening as it was", async () => {
    const { run, calls } = setUp();
    await run([callRecord("2026-11-20T09:00:00+08:00")]);
    expect((calls[0] ?? []).map((record) => record.topic)).toEqual([
      routedTopic,
      `${prefix}clueline.unit.town-chengguan.v1`,
      `${prefix}clueline.unit.dc.v1`,
    ]);
  });
});

describe("channel handler: the text units read", () => {
  it("scrubs contacts an edge left in (defence in depth) and passes the sealed original on to the closure only", async () => {
    const { run, calls } = setUp();
    const sealedOriginal = { ...reporter.identity, ciphertext: "b3JpZ2luYWw=", v: 2 as const };
    const summary = "反映城关镇工作人员办事吃拿卡要，我的电话１３８ ００１３ ８０００，QQ 幺二三四五六七";
    await run([callRecord("2026-11-20T09:00:00+08:00", { summary, sealedOriginal })]);
    const records = calls.flat();
    const routed = clueRoutedTopic.parse(routedOnly(records)[0] as never).data.complaint;
    expect(routed.text).toBe("反映城关镇工作人员办事吃拿卡要，我的电话[联系方式]，QQ [联系方式]");
    expect(routed.sealedOriginal).toEqual(sealedOriginal);
    const unitRecords = records.filter((record) => record.topic.includes(".unit."));
    expect(unitRecords.length).toBeGreaterThan(0);
    for (const record of unitRecords) {
      expect(String(record.value)).toContain("[联系方式]");
      expect(String(record.value)).not.toMatch(/b3JpZ2luYWw|１３８|幺二三/);
    }
  });
});

describe("channel handler: the operator's category", () => {
  it("carries the hotline's categoryHints into the complaint; a known one matches, an unknown one is ignored", async () => {
    const { run, calls } = setUp();
    const summary = "来电人反映城关镇卫生院院长周末回老家办私事";
    const record = callRecord("2026-11-20T09:00:00+08:00", { summary, categoryHints: ["official-car-misuse", "no-such-code"] });
    expect(normalize(hotlineReceivedTopic.parse(record).data).categoryHints).toEqual(["official-car-misuse", "no-such-code"]);
    expect(normalize(hotlineReceivedTopic.parse(callRecord("2026-11-20T09:00:00+08:00")).data)).not.toHaveProperty(
      "categoryHints",
    );
    await run([record]);
    const routed = clueRoutedTopic.parse(routedOnly(calls.flat())[0] as never).data;
    expect([routed.decision.nature, routed.decision.categories]).toEqual(["discipline", ["official-car-misuse"]]);
    expect(routed.decision.reasons.filter((r) => r.rule === 1).map((r) => r.detail)).toEqual([
      'operator category "no-such-code" is not in the taxonomy; ignored',
      "category 公车私用 (official-car-misuse, conduct): the operator chose it",
      "nature discipline",
    ]);
  });
});
