import { describe, expect, it } from "vitest";
import {
  addresseeOf,
  extensionDecisionRefusal,
  extensionRequestRefusal,
  orderAnswerRefusal,
  SupervisionRefused,
} from "./supervision-rules.js";

const running = { stage: "pending" as const, dueOn: "2026-03-09", pendingRequest: false };

describe("supervision order rules", () => {
  it("addresses an order to the late unit, or to the commission for a clock that named none", () => {
    expect(addresseeOf({ lateUnit: "town-chengguan", toUnit: "dc" })).toBe("town-chengguan");
    expect(addresseeOf({ lateUnit: null, toUnit: "dc" })).toBe("dc");
  });

  it("answers only an open order", () => {
    expect(orderAnswerRefusal({ state: "open" })).toBeNull();
    expect(orderAnswerRefusal({ state: "answered" })?.reason).toBe("order-answered");
    const escalated = orderAnswerRefusal({ state: "escalated" });
    expect(escalated).toBeInstanceOf(SupervisionRefused);
    expect(escalated?.reason).toBe("order-escalated");
  });
});

describe("extension request rules", () => {
  it("lets a unit ask on a running, dated clock of work in hand", () => {
    for (const assignmentState of ["assigned", "accepted", "in-progress"] as const) {
      expect(extensionRequestRefusal({ assignmentState, clock: running })).toBeNull();
    }
    expect(extensionRequestRefusal({ assignmentState: "accepted", clock: { ...running, stage: "reminded" } })).toBeNull();
  });

  it("refuses finished work, clocks met or overdue or undated, and a second undecided request", () => {
    const reason = (input: Parameters<typeof extensionRequestRefusal>[0]) => extensionRequestRefusal(input)?.reason;
    for (const assignmentState of ["concluded", "rejected", "transferred"] as const) {
      expect(reason({ assignmentState, clock: running })).toBe("assignment-finished");
    }
    expect(reason({ assignmentState: "assigned", clock: null })).toBe("no-running-clock");
    expect(reason({ assignmentState: "assigned", clock: { ...running, stage: "overdue" } })).toBe("no-running-clock");
    expect(reason({ assignmentState: "assigned", clock: { ...running, stage: "met" } })).toBe("no-running-clock");
    expect(reason({ assignmentState: "assigned", clock: { ...running, dueOn: null } })).toBe("clock-undated");
    expect(reason({ assignmentState: "assigned", clock: { ...running, pendingRequest: true } })).toBe("request-pending");
  });

  it("decides each request once; a grant needs the clock still running, a refusal does not", () => {
    expect(extensionDecisionRefusal({ state: "pending", decision: "grant", clockStage: "reminded" })).toBeNull();
    expect(extensionDecisionRefusal({ state: "pending", decision: "refuse", clockStage: "overdue" })).toBeNull();
    expect(extensionDecisionRefusal({ state: "pending", decision: "grant", clockStage: "overdue" })?.reason).toBe(
      "clock-not-running",
    );
    expect(extensionDecisionRefusal({ state: "pending", decision: "grant", clockStage: "met" })?.reason).toBe(
      "clock-not-running",
    );
    for (const state of ["granted", "refused"] as const) {
      expect(extensionDecisionRefusal({ state, decision: "refuse", clockStage: "pending" })?.reason).toBe("request-decided");
    }
  });
});
