import type { RoutingDecision } from "@clueline/contracts";
import { describe, expect, it } from "vitest";
import type { SubjectKey } from "../routing/history.js";
import { createMemoryRouterState } from "./memory-router-state.js";

const town: SubjectKey = "town:chengguan";
let sequence = 0;
const ulid = () => {
  sequence += 1;
  return `01HZZZZZZZZZZZZZZZZZ${String(sequence).padStart(6, "0")}`;
};
const decision = (complaintId: string): RoutingDecision => ({
  decisionId: ulid(),
  complaintId,
  clueId: ulid(),
  nature: "discipline",
  categories: [],
  subjects: { departments: [], towns: ["chengguan"] },
  discipline: { lead: "dc", assist: [], informed: [] },
  service: null,
  transfer: null,
  mergedInto: null,
  reasons: [{ rule: 4, detail: "triage" }],
  decidedAt: "2024-05-20T00:00:00.000Z",
});

describe("createMemoryRouterState", () => {
  it("counts clues recorded out of time order", async () => {
    const state = createMemoryRouterState();
    for (const [id, openedAt] of [
      ["a", "2024-05-10T00:00:00Z"],
      ["b", "2024-05-01T00:00:00Z"],
      ["c", "2024-05-20T00:00:00Z"],
      ["d", "2024-05-05T00:00:00Z"],
    ] as const) {
      await state.withTransaction((tx) =>
        tx.recordDecision({ decision: decision(id), openedAt, reporterHash: null, subjects: [town] }),
      );
    }
    const count = (since: string) =>
      state.withTransaction(async (tx) => (await tx.countRecentClues({ subjects: [town], since })).get(town));
    expect([
      await count("2024-04-01T00:00:00Z"),
      await count("2024-05-05T00:00:00Z"),
      await count("2024-05-21T00:00:00Z"),
    ]).toEqual([4, 3, 0]);
  });

  it("runs transactions one at a time, so a read-then-write cannot interleave", async () => {
    const state = createMemoryRouterState();
    const order: string[] = [];
    const slow = state.withTransaction(async () => {
      order.push("first:start");
      await new Promise((resolve) => setTimeout(resolve, 20));
      order.push("first:end");
    });
    const fast = state.withTransaction(async () => {
      order.push("second");
    });
    await Promise.all([slow, fast]);
    expect(order).toEqual(["first:start", "first:end", "second"]);
  });

  it("keeps a failed transaction's writes out, and the next transaction still runs", async () => {
    const state = createMemoryRouterState();
    const failing = state.withTransaction(async (tx) => {
      await tx.recordDecision({
        decision: decision("x"),
        openedAt: "2024-05-20T00:00:00Z",
        reporterHash: null,
        subjects: [town],
      });
      throw new Error("boom");
    });
    await expect(failing).rejects.toThrow("boom");
    expect(await state.getDecision("x")).toBeNull();
    expect(await state.withTransaction(async (tx) => tx.getDecision("x"))).toBeNull();
  });
});
