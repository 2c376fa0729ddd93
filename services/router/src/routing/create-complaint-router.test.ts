import type { Complaint } from "@clueline/contracts";
import { describe, expect, it, vi } from "vitest";
import { compileDirectory, defaultDirectoryPath, loadDirectory, parseDirectory } from "../directory/index.js";
import { createMemoryRouterState } from "../state/memory-router-state.js";
import { createComplaintRouter } from "./create-complaint-router.js";
import { emptyHistory } from "./history.js";
import { route } from "./route.js";

const source = await loadDirectory(defaultDirectoryPath);
const directory = compileDirectory(source);

const complaint = (overrides: Partial<Complaint> = {}): Complaint => ({
  id: "c-1",
  channel: "hotline",
  receivedAt: "2024-05-20T09:00:00+08:00",
  text: "反映城关镇政府工作人员办事吃拿卡要",
  reporter: { kind: "real-name", hash: "f".repeat(64) },
  ...overrides,
});

const ids = {
  clueId: "01HZZZZZZZZZZZZZZZZZ000001",
  decisionId: "01HZZZZZZZZZZZZZZZZZ000002",
  decidedAt: "2024-05-20T01:00:01.000Z",
};

describe("createComplaintRouter", () => {
  it("returns the stored decision for a redelivered complaint and opens no second clue (rule 9)", async () => {
    const routeComplaint = createComplaintRouter({ state: createMemoryRouterState(), directory: () => directory });
    const first = await routeComplaint(complaint());
    const again = await routeComplaint(complaint({ text: "内容在重投时变了：城关镇干部受贿" }));
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ decision: first.decision, duplicate: true });
    // Had the redelivery counted, this would be the 3rd clue about the town and escalate.
    const third = await routeComplaint(complaint({ id: "c-2", reporter: { kind: "anonymous" } }));
    expect(third.decision.discipline?.lead).toBe("town-chengguan");
  });

  it("stores exactly one decision when the same complaint arrives concurrently", async () => {
    const routeComplaint = createComplaintRouter({ state: createMemoryRouterState(), directory: () => directory });
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => routeComplaint(complaint())));
    expect(new Set(outcomes.map((o) => o.decision.clueId)).size).toBe(1);
    expect(outcomes.filter((o) => !o.duplicate)).toHaveLength(1);
  });

  it("reads the directory once per complaint, so a reload never splits a decision", async () => {
    const current = vi.fn(() => directory);
    const routeComplaint = createComplaintRouter({ state: createMemoryRouterState(), directory: current });
    await routeComplaint(complaint());
    expect(current).toHaveBeenCalledTimes(1);
  });

  it("measures windows from receivedAt, so a replayed backlog decides as it would have live", async () => {
    const routeComplaint = createComplaintRouter({ state: createMemoryRouterState(), directory: () => directory });
    const old = (id: string, day: number) =>
      complaint({ id, reporter: { kind: "anonymous" }, receivedAt: `2019-03-${String(day).padStart(2, "0")}T10:00:00+08:00` });
    await routeComplaint(old("a", 1));
    await routeComplaint(old("b", 2));
    expect((await routeComplaint(old("c", 3))).decision.discipline?.lead).toBe("dc");
  });

  it("keeps the reporter hash out of the decision", async () => {
    const routeComplaint = createComplaintRouter({ state: createMemoryRouterState(), directory: () => directory });
    const { decision } = await routeComplaint(complaint());
    expect(JSON.stringify(decision)).not.toContain("f".repeat(16));
  });
});

describe("route", () => {
  it("names the rule and the matched words in its reasons", () => {
    const decision = route({ complaint: complaint(), directory, history: emptyHistory, ...ids });
    expect(decision.reasons).toEqual([
      { rule: 1, detail: "category 吃拿卡要 (bribe-demand, conduct)", matched: ["吃拿卡要"] },
      { rule: 1, detail: "nature discipline" },
      { rule: 2, detail: "subjects found in the text: chengguan (城关镇)", matched: ["城关镇"] },
      { rule: 4, detail: "one unit proposed: town-chengguan leads", matched: ["town-chengguan"] },
      { rule: 6, detail: "dc is informed (central registration 归口管理)" },
    ]);
  });

  it("ignores a merge target for an anonymous complaint, whatever history says", () => {
    const mergeTarget = {
      clueId: "01HZZZZZZZZZZZZZZZZZ000009",
      openedAt: "2024-05-19T00:00:00.000Z",
      subjects: ["town:chengguan" as const],
    };
    const decision = route({
      complaint: complaint({ reporter: { kind: "anonymous" } }),
      directory,
      history: { mergeTarget, recentClues: new Map() },
      ...ids,
    });
    expect(decision.mergedInto).toBeNull();
  });

  it("ignores a merge target outside the window or without a shared subject", () => {
    const target = {
      clueId: "01HZZZZZZZZZZZZZZZZZ000009",
      openedAt: "2024-05-01T00:00:00.000Z",
      subjects: ["town:chengguan" as const],
    };
    const stale = route({ complaint: complaint(), directory, history: { mergeTarget: target, recentClues: new Map() }, ...ids });
    const elsewhere = route({
      complaint: complaint(),
      directory,
      history: {
        mergeTarget: { ...target, openedAt: "2024-05-19T00:00:00.000Z", subjects: ["town:mafang"] },
        recentClues: new Map(),
      },
      ...ids,
    });
    expect([stale.mergedInto, elsewhere.mergedInto]).toEqual([null, null]);
  });

  it("falls back to serviceFallback when no department is named and the category has no owner", () => {
    const withoutOwners = compileDirectory({
      ...source,
      categories: source.categories.map(({ owner: _owner, ...category }) => category),
    });
    const decision = route({
      complaint: complaint({ text: "企业申请信用修复没有结果" }),
      directory: withoutOwners,
      history: emptyHistory,
      ...ids,
    });
    expect(decision.service).toEqual({ lead: "dept-biz", coLeads: [], informed: [] });
    expect(decision.reasons.at(-1)).toMatchObject({ rule: 7, detail: expect.stringContaining("serviceFallback") });
  });

  it("applies another district's policy: a lower repeat threshold and a different overseer", () => {
    const text = JSON.stringify({
      ...source,
      policy: { ...source.policy, repeatEscalateAt: 2, serviceOverseer: "dept-approval" },
    });
    const other = compileDirectory(parseDirectory(text, "json"));
    const history = { mergeTarget: null, recentClues: new Map([["town:chengguan" as const, 1]]) };
    expect(route({ complaint: complaint(), directory: other, history, ...ids }).discipline?.lead).toBe("dc");
    const service = route({
      complaint: complaint({ text: "市监局审批慢" }),
      directory: other,
      history: emptyHistory,
      ...ids,
    }).service;
    expect(service).toEqual({ lead: "dept-market", coLeads: [], informed: ["dept-approval"] });
  });
});
