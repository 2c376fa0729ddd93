import type { Complaint, RoutingDecision } from "@clueline/contracts";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { compileDirectory, defaultDirectoryPath, loadDirectory } from "../directory/index.js";
import type { RecordOutcome, RouterState } from "../state/router-state.js";
import { routerStateBackends } from "../testing/router-state-backends.js";
import { createBatchRouter, createComplaintRouter } from "./create-complaint-router.js";
import type { SubjectKey } from "./history.js";

/**
 * `createBatchRouter` decides a batch set-based (one read of history, decisions in memory, one write); these
 * tests hold it to deciding exactly as `createComplaintRouter` does one complaint at a time, on every state.
 */
const backends = await routerStateBackends({ schemaPrefix: "router_batch_test", databaseUrl: process.env.DATABASE_URL });

const directory = compileDirectory(await loadDirectory(defaultDirectoryPath));
const anonymous = { kind: "anonymous" as const };
const realName = (digit: string) => ({ kind: "real-name" as const, hash: digit.repeat(64) });
const start = Date.parse("2024-03-01T09:00:00+08:00");
const complaint = (id: string, hours: number, text: string, reporter: Complaint["reporter"] = anonymous): Complaint => ({
  id,
  channel: "hotline",
  receivedAt: new Date(start + hours * 3_600_000).toISOString(),
  text,
  reporter,
});

/**
 * A realistic stream: a hand-written head whose outcome is asserted (rule 5 at the 3rd clue with a supplement in
 * between that does not count, rule 8 within and outside 7 days), then a seeded mix of towns, a department,
 * real-name and anonymous reporters, unclassified texts, backlog replays out of time order, and redeliveries
 * of earlier complaint ids (some with changed text) a few or many positions later.
 */
function complaintStream(): Complaint[] {
  const stream: Complaint[] = [
    complaint("rep-1", 0, "反映城关镇政府工作人员办事吃拿卡要"),
    complaint("rep-2", 20, "城关镇干部违规收受红包礼金", realName("1")),
    complaint("rep-2-supplement", 30, "城关镇干部收受红包礼金，补充一张照片", realName("1")),
    complaint("rep-3", 40, "城关镇干部吃拿卡要"),
    complaint("rep-1", 41, "重投：内容变了，城关镇干部受贿"),
    complaint("merge-a", 100, "马坊镇干部吃拿卡要", realName("2")),
    complaint("merge-b", 100 + 24 * 5, "马坊镇干部吃拿卡要，再次反映", realName("2")),
    complaint("merge-c", 100 + 24 * 9, "马坊镇干部又在吃拿卡要", realName("2")),
    complaint("merge-d", 100 + 24 * 10, "石佛镇和马坊镇干部一起吃拿卡要", realName("2")),
    // Window edges: rep-1 opened exactly 30 days before the first (counted), 1 ms more before the second.
    complaint("edge-in", 24 * 30, "城关镇干部吃拿卡要"),
    complaint("edge-out", 24 * 30 + 1 / 3_600_000, "城关镇干部吃拿卡要"),
  ];
  const places = ["城关镇", "马坊镇", "石佛镇", "东关街道", "市场监管局", ""];
  const matters = ["干部吃拿卡要", "工作人员违规收受红包礼金", "审批拖着不批", "执法一刀切，粗暴执法", "路灯不亮"];
  const reporters = [anonymous, anonymous, anonymous, realName("1"), realName("2"), realName("3")];
  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  let hours = 0;
  for (let i = 0; stream.length < 90; i += 1) {
    if (i % 8 === 5) {
      // A redelivery: within a few positions (often the same batch) or much later (another batch).
      const back = next(2) === 0 ? 1 + next(3) : 20 + next(20);
      const again = stream[Math.max(0, stream.length - back)] as Complaint;
      stream.push(next(2) === 0 ? again : { ...again, text: `${again.text}（重投）` });
      continue;
    }
    // Mostly forward in time; now and then a backlog replay from days before.
    hours += next(10) === 0 ? -24 * (1 + next(5)) : next(60);
    const text = `反映${places[next(places.length)]}${matters[next(matters.length)]}`;
    stream.push(complaint(`s-${i}`, hours, text, reporters[next(reporters.length)]));
  }
  return stream;
}

/** Batches of 1, 7 and 25 complaints in turn. */
function batchesOf(stream: readonly Complaint[]): Complaint[][] {
  const sizes = [1, 7, 25];
  const batches: Complaint[][] = [];
  for (let at = 0, i = 0; at < stream.length; i += 1) {
    const size = sizes[i % sizes.length] as number;
    batches.push(stream.slice(at, at + size));
    at += size;
  }
  return batches;
}

/**
 * Outcomes with generated ids replaced by what they stand for: a clue by the complaint that opened it, a decision
 * by the position it was first returned at (so a redelivery must return the very same decision).
 */
function comparable(outcomes: readonly RecordOutcome[]) {
  const openedBy = new Map<string, string>();
  const firstAt = new Map<string, number>();
  for (const [index, { decision }] of outcomes.entries()) {
    if (decision.mergedInto === null && !openedBy.has(decision.clueId)) openedBy.set(decision.clueId, decision.complaintId);
    if (!firstAt.has(decision.decisionId)) firstAt.set(decision.decisionId, index);
  }
  const clue = (id: string) => `clue opened by ${openedBy.get(id) ?? `unknown ${id}`}`;
  return outcomes.map(({ decision, duplicate }) => ({
    duplicate,
    ...decision,
    decisionId: `decision first returned at ${firstAt.get(decision.decisionId)}`,
    decidedAt: undefined,
    clueId: clue(decision.clueId),
    mergedInto: decision.mergedInto === null ? null : clue(decision.mergedInto),
    reasons: decision.reasons.map((reason) => ({
      ...reason,
      detail: reason.detail.replace(/\b[0-9A-HJKMNP-TV-Z]{26}\b/g, clue),
    })),
  }));
}

const subjectsOf = (decision: RoutingDecision): SubjectKey[] => [
  ...decision.subjects.departments.map((id): SubjectKey => `department:${id}`),
  ...decision.subjects.towns.map((id): SubjectKey => `town:${id}`),
];

describe.each(backends)("createBatchRouter on $name", (backend) => {
  beforeAll(() => backend.start());
  afterEach(() => backend.cleanUp());
  afterAll(() => backend.stop());

  it("decides batches of 1, 7 and 25 exactly as one by one (rules 5, 8, 9)", async () => {
    const stream = complaintStream();
    const batches = batchesOf(stream);
    const oneByOneState = await backend.open();
    const batchState = await backend.open();
    const routeComplaint = createComplaintRouter({ state: oneByOneState, directory: () => directory });
    const routeBatch = createBatchRouter({ state: batchState, directory: () => directory });

    const oneByOne: RecordOutcome[] = [];
    for (const item of stream) oneByOne.push(await routeComplaint(item));
    const batched: RecordOutcome[] = [];
    for (const batch of batches) batched.push(...(await routeBatch(batch)));

    // The stream does exercise what it is meant to.
    const byId = new Map(oneByOne.map((outcome) => [outcome.decision.complaintId, outcome.decision]));
    const clueOf = (id: string) => byId.get(id)?.clueId;
    expect(byId.get("rep-2-supplement")?.mergedInto).toBe(clueOf("rep-2"));
    expect(byId.get("rep-3")?.reasons).toContainEqual(expect.objectContaining({ rule: 5, matched: ["town:chengguan"] }));
    expect(byId.get("rep-3")?.discipline?.lead).toBe("dc");
    expect(byId.get("merge-b")?.mergedInto).toBe(clueOf("merge-a"));
    expect(byId.get("merge-c")?.mergedInto).toBeNull();
    expect(byId.get("merge-d")?.mergedInto).toBe(clueOf("merge-c"));
    expect(oneByOne.filter((o) => o.decision.mergedInto !== null).length).toBeGreaterThan(5);
    expect(oneByOne.filter((o) => o.decision.reasons.some((r) => r.rule === 5)).length).toBeGreaterThan(5);
    const duplicatesWithinABatch = batches.filter((batch) => new Set(batch.map((c) => c.id)).size < batch.length);
    expect(duplicatesWithinABatch.length).toBeGreaterThan(1);
    expect(oneByOne.filter((o) => o.duplicate).length).toBeGreaterThan(duplicatesWithinABatch.length);

    expect(comparable(batched)).toEqual(comparable(oneByOne));

    // And the stored history is the same: what later batches would count and merge into.
    const subjects = [...new Set(oneByOne.flatMap(({ decision }) => subjectsOf(decision)))];
    const counts = (state: RouterState) =>
      state.withTransaction((tx) => tx.countRecentClues({ subjects, since: "2000-01-01T00:00:00Z" }));
    expect(await counts(batchState)).toEqual(await counts(oneByOneState));
    for (const { decision } of batched) expect(await batchState.getDecision(decision.complaintId)).toEqual(decision);
  });

  it("keeps repeat counts exact when routers decide batches about one town concurrently", async () => {
    const state = await backend.open();
    const batches = Array.from({ length: 4 }, (_, b) =>
      Array.from({ length: 5 }, (_, i) => complaint(`p-${b}-${i}`, 0, "城关镇干部吃拿卡要")),
    );
    const outcomes = await Promise.all(batches.map((batch) => createBatchRouter({ state, directory: () => directory })(batch)));
    const leads = outcomes.flat().map((o) => o.decision.discipline?.lead);
    expect(leads.filter((lead) => lead === "town-chengguan")).toHaveLength(2);
    expect(leads.filter((lead) => lead === "dc")).toHaveLength(18);
  });

  it("stores one decision per complaint when a batch is redelivered to several routers at once", async () => {
    const state = await backend.open();
    // Complaints naming no subject take no lock, so their redeliveries race to the unique key; each router also
    // has a complaint of its own, so a batch may be partly stored already.
    const shared = [complaint("x-1", 0, "路灯不亮"), complaint("x-2", 2, "有人办事吃拿卡要"), complaint("x-1", 3, "路灯不亮")];
    const batches = [0, 1, 2].map((n) => [...shared, complaint(`own-${n}`, 4, "路灯又不亮了")]);
    const outcomes = await Promise.all(batches.map((batch) => createBatchRouter({ state, directory: () => directory })(batch)));
    for (const [index, item] of shared.entries()) {
      const decisions = outcomes.map((routed) => routed[index]?.decision);
      expect(new Set(decisions.map((decision) => decision?.decisionId)).size).toBe(1);
      expect(await state.getDecision(item.id)).toEqual(decisions[0]);
    }
    for (const [n, routed] of outcomes.entries()) {
      expect(routed[3]?.duplicate).toBe(false);
      expect(await state.getDecision(`own-${n}`)).toEqual(routed[3]?.decision);
    }
    expect(outcomes.flat().filter((o) => !o.duplicate)).toHaveLength(2 + 3);
  });
});
