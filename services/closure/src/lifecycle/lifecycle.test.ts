import type { AssignmentState, ClueState } from "@clueline/contracts";
import { RefusedTransition } from "@clueline/contracts/errors";
import { describe, expect, it } from "vitest";
import { type AssignmentCommand, assignmentCommands, nextAssignmentState, rejectionReviewed } from "./assignment-machine.js";
import {
  type ClueCommand,
  callBackEffect,
  clueCommands,
  leadsFinished,
  nextClueState,
  supplementReopens,
} from "./clue-machine.js";

// Written out by hand from DESIGN §7 rather than derived from the machine, so the test can disagree with it.
const legalAssignment: [AssignmentState, AssignmentCommand, AssignmentState][] = [
  ["assigned", "accept", "accepted"],
  ["assigned", "reject", "rejected"],
  ["assigned", "transfer", "transferred"],
  ["accepted", "dispose", "in-progress"],
  ["accepted", "progress", "in-progress"],
  ["accepted", "notify", "accepted"],
  ["in-progress", "dispose", "in-progress"],
  ["in-progress", "progress", "in-progress"],
  ["in-progress", "conclude", "concluded"],
  ["in-progress", "notify", "in-progress"],
  ["concluded", "reopen", "in-progress"],
  ["concluded", "notify", "concluded"],
  ["assigned", "return", "returned"],
  ["assigned", "review", "returned"],
  ["returned", "uphold", "assigned"],
  ["returned", "reassign", "reassigned"],
];
const assignmentStates: AssignmentState[] = [
  "assigned",
  "accepted",
  "in-progress",
  "concluded",
  "transferred",
  "rejected",
  "returned",
  "reassigned",
];

const legalClue: [ClueState, ClueCommand, ClueState][] = [
  ["open", "conclude", "concluded"],
  ["open", "transfer-out", "transferred"],
  ["concluded", "feed-back", "fed-back"],
  ["fed-back", "close", "closed"],
  ["fed-back", "reopen", "open"],
  ["fed-back", "escalate", "open"],
  // Rule 8: a supplement joins an open clue, reopens a finished one, and stays with a clue transferred out.
  ["open", "supplement", "open"],
  ["concluded", "supplement", "open"],
  ["fed-back", "supplement", "open"],
  ["closed", "supplement", "open"],
  ["transferred", "supplement", "transferred"],
  ["concluded", "redo", "open"],
  ["fed-back", "redo", "open"],
  ["closed", "redo", "open"],
];
const clueStates: ClueState[] = ["open", "concluded", "fed-back", "closed", "transferred"];

function everyPair<S, C>(states: S[], commands: readonly C[]): [S, C][] {
  return states.flatMap((state) => commands.map((command) => [state, command] as [S, C]));
}

describe("assignment lifecycle", () => {
  it.each(legalAssignment)("%s --%s--> %s", (from, command, to) => {
    expect(nextAssignmentState(from, command)).toBe(to);
  });

  const illegal = everyPair(assignmentStates, assignmentCommands).filter(
    ([from, command]) => !legalAssignment.some(([f, c]) => f === from && c === command),
  );
  it.each(illegal)("refuses %s --%s--> with RefusedTransition", (from, command) => {
    const attempt = () => nextAssignmentState(from, command);
    expect(attempt).toThrow(RefusedTransition);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ from, action: command });
      expect((error as Error).message).toContain(from);
    }
  });

  it("covers every pair exactly once", () => {
    expect(legalAssignment.length + illegal.length).toBe(assignmentStates.length * assignmentCommands.length);
  });
});

describe("clue lifecycle", () => {
  it.each(legalClue)("%s --%s--> %s", (from, command, to) => {
    expect(nextClueState(from, command)).toBe(to);
  });

  const illegal = everyPair(clueStates, clueCommands).filter(
    ([from, command]) => !legalClue.some(([f, c]) => f === from && c === command),
  );
  it.each(illegal)("refuses %s --%s--> with RefusedTransition", (from, command) => {
    expect(() => nextClueState(from, command)).toThrow(RefusedTransition);
  });

  it("is concluded when every lead assignment is finished, and not before", () => {
    expect(leadsFinished([])).toBe(false);
    expect(leadsFinished(["concluded", "in-progress"])).toBe(false);
    expect(leadsFinished(["concluded", "rejected", "transferred"])).toBe(true);
    // A return awaiting review keeps the clue open; a reassigned one is over (its successor is a lead of its own).
    expect(leadsFinished(["concluded", "returned"])).toBe(false);
    expect(leadsFinished(["reassigned", "concluded"])).toBe(true);
  });

  it("sends only a discipline lead's rejection to review", () => {
    expect(rejectionReviewed({ track: "discipline", role: "lead" })).toBe(true);
    expect(rejectionReviewed({ track: "discipline", role: "assist" })).toBe(false);
    expect(rejectionReviewed({ track: "service", role: "lead" })).toBe(false);
  });

  it("reopens a concluded, fed-back or closed clue for a supplement, and no other", () => {
    const reopening = clueStates.filter((state) => supplementReopens(state));
    expect(reopening).toEqual(["concluded", "fed-back", "closed"]);
  });

  it("reopens on the first dissatisfaction, escalates on the second, closes after the commission's", () => {
    expect(callBackEffect({ result: "satisfied", dissatisfiedBefore: 1, escalated: false })).toBe("close");
    expect(callBackEffect({ result: "unreachable", dissatisfiedBefore: 0, escalated: false })).toBe("keep-trying");
    expect(callBackEffect({ result: "dissatisfied", dissatisfiedBefore: 0, escalated: false })).toBe("reopen");
    expect(callBackEffect({ result: "dissatisfied", dissatisfiedBefore: 1, escalated: false })).toBe("escalate");
    expect(callBackEffect({ result: "dissatisfied", dissatisfiedBefore: 1, escalated: true })).toBe("close-final");
    // A clue a supplement reopened twice is still owed its first reopening on dissatisfaction.
    expect(callBackEffect({ result: "dissatisfied", dissatisfiedBefore: 0, escalated: false })).toBe("reopen");
  });
});
