import { describe, expect, it } from "vitest";
import type { LifecycleEvent } from "./lifecycle.js";
import { type ServiceWork, serviceFailuresOf } from "./service-failures.js";

const work: ServiceWork = {
  serviceUnitOf: (assignmentId) => (assignmentId === "a-service" ? "dept-market" : undefined),
  serviceLeadsOf: (clueId) => new Set(clueId === "c1" ? ["dept-market"] : []),
};
const base = { clueId: "c1", occurredAt: "2026-03-10T01:00:00.000Z", actor: { kind: "system", id: "x" } } as const;
const overdue = (kind: "accept" | "conclude" | "acceptance-notice", assignmentId: string | null): LifecycleEvent => ({
  ...base,
  event: "deadline.overdue",
  deadline: { kind, dueOn: "2026-03-09", assignmentId, unitId: "dept-market" },
});
const callBack = (result: "satisfied" | "dissatisfied" | "unreachable", leadUnits: string[]): LifecycleEvent => ({
  ...base,
  event: "clue.call-back-recorded",
  result,
  round: 2,
  leadUnits,
});

describe("serviceFailuresOf", () => {
  it("takes a service assignment's missed accept or conclude clock as one overdue failure per assignment", () => {
    const [accept] = serviceFailuresOf(overdue("accept", "a-service"), work);
    const [conclude] = serviceFailuresOf(overdue("conclude", "a-service"), work);
    expect(accept).toMatchObject({ id: "overdue:a-service", kind: "overdue", department: "dept-market", clueId: "c1" });
    expect(conclude?.id).toBe(accept?.id);
  });

  it("ignores discipline assignments and clue-level clocks", () => {
    expect(serviceFailuresOf(overdue("accept", "a-discipline"), work)).toEqual([]);
    expect(serviceFailuresOf(overdue("acceptance-notice", null), work)).toEqual([]);
  });

  it("charges a dissatisfied call-back to the departments that led the service work, and nothing else", () => {
    const failures = serviceFailuresOf(callBack("dissatisfied", ["dept-market", "town-chengguan"]), work);
    expect(failures).toEqual([
      expect.objectContaining({ id: "dissatisfied:c1:2:dept-market", kind: "dissatisfied", department: "dept-market" }),
    ]);
    expect(serviceFailuresOf(callBack("satisfied", ["dept-market"]), work)).toEqual([]);
    expect(serviceFailuresOf(callBack("unreachable", ["dept-market"]), work)).toEqual([]);
  });

  it("charges an upheld return of a service assignment to its department, not a reassignment or a discipline one", () => {
    const decided = (decision: "upheld" | "reassigned", track: "service" | "discipline"): LifecycleEvent => ({
      ...base,
      event: "assignment.return-decided",
      assignment: { assignmentId: "a-service", unitId: "dept-market", role: "lead", track },
      from: "returned",
      to: decision === "upheld" ? "assigned" : "reassigned",
      returnId: "r1",
      kind: "return",
      decision,
      reassignedTo: decision === "upheld" ? null : "dept-biz",
    });
    expect(serviceFailuresOf(decided("upheld", "service"), work)).toEqual([
      expect.objectContaining({ id: "return-upheld:r1", kind: "return-upheld", department: "dept-market", clueId: "c1" }),
    ]);
    expect(serviceFailuresOf(decided("reassigned", "service"), work)).toEqual([]);
    expect(serviceFailuresOf(decided("upheld", "discipline"), work)).toEqual([]);
  });
});
