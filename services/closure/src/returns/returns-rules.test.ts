import { describe, expect, it } from "vitest";
import { decisionRefusal, ReturnRefused, redoRefusal, returnRefusal } from "./returns-rules.js";

describe("returns rules", () => {
  it("decides a pending return once, and reassigns only to another unit", () => {
    expect(decisionRefusal({ state: "pending", decision: "uphold", from: "town-a" })).toBeNull();
    expect(decisionRefusal({ state: "pending", decision: "reassign", from: "town-a", to: "town-b" })).toBeNull();
    expect(decisionRefusal({ state: "upheld", decision: "uphold", from: "town-a" })).toMatchObject({ reason: "return-decided" });
    expect(decisionRefusal({ state: "reassigned", decision: "reassign", from: "a", to: "b" })).toBeInstanceOf(ReturnRefused);
    expect(decisionRefusal({ state: "pending", decision: "reassign", from: "town-a", to: "town-a" })).toMatchObject({
      reason: "same-unit",
    });
  });

  it("never lets an upheld assignment be returned again", () => {
    expect(returnRefusal({ upheldBefore: false })).toBeNull();
    expect(returnRefusal({ upheldBefore: true })).toMatchObject({ reason: "upheld-before" });
  });

  it("redoes a clue with a concluded lead, on a call-back only after a dissatisfied one", () => {
    expect(redoRefusal({ concludedLeads: 1, basis: "review", dissatisfiedCallBacks: 0 })).toBeNull();
    expect(redoRefusal({ concludedLeads: 2, basis: "call-back", dissatisfiedCallBacks: 1 })).toBeNull();
    expect(redoRefusal({ concludedLeads: 0, basis: "review", dissatisfiedCallBacks: 3 })).toMatchObject({
      reason: "no-concluded-lead",
    });
    expect(redoRefusal({ concludedLeads: 1, basis: "call-back", dissatisfiedCallBacks: 0 })).toMatchObject({
      reason: "no-dissatisfied-call-back",
    });
  });
});
