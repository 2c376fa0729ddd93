import type { AssignmentState, CallBackResult, ClueState } from "@clueline/contracts";
import { RefusedTransition } from "@clueline/contracts/errors";
import { finishedAssignmentStates } from "./assignment-machine.js";

/** What can happen to a clue as a whole. */
export type ClueCommand = "conclude" | "transfer-out" | "feed-back" | "close" | "reopen" | "escalate" | "supplement" | "redo";

export const clueCommands = [
  "conclude",
  "transfer-out",
  "feed-back",
  "close",
  "reopen",
  "escalate",
  "supplement",
  "redo",
] as const satisfies readonly ClueCommand[];

/**
 * DESIGN §7 for a clue: concluded when its lead assignments are, then fed back (反馈) to the reporter, then
 * closed. A dissatisfied call-back sends a fed-back clue back to open: reopened once, escalated the second time.
 * A supplement (rule 8: the same real-name reporter's new complaint merged into the clue) joins an open clue as it
 * is, and reopens a concluded, fed-back or closed one: new material is never left on a clue nobody works on. A
 * clue transferred out of the district keeps it for the body it went to (the commission is informed of it).
 * The commission's redo (发回重办) sends a clue it finds badly concluded back to open, at any point after conclusion.
 */
const transitions: Record<ClueState, Partial<Record<ClueCommand, ClueState>>> = {
  open: { conclude: "concluded", "transfer-out": "transferred", supplement: "open" },
  concluded: { "feed-back": "fed-back", supplement: "open", redo: "open" },
  "fed-back": { close: "closed", reopen: "open", escalate: "open", supplement: "open", redo: "open" },
  closed: { supplement: "open", redo: "open" },
  transferred: { supplement: "transferred" },
};

/** The states a supplement takes a clue out of: its lead work finished, so the new material reopens it. */
const finishedClueStates: ReadonlySet<ClueState> = new Set(["concluded", "fed-back", "closed"]);

/**
 * Whether a supplement reopens a clue in this state (rule 8, last sentence) rather than joining it as it is.
 *
 * @example
 * supplementReopens("closed"); // true
 * supplementReopens("open"); // false
 */
export function supplementReopens(state: ClueState): boolean {
  return finishedClueStates.has(state) && nextClueState(state, "supplement") === "open";
}

/**
 * @example
 * nextClueState("concluded", "feed-back"); // "fed-back"
 * nextClueState("open", "close"); // throws RefusedTransition
 */
export function nextClueState(from: ClueState, command: ClueCommand): ClueState {
  const to = transitions[from][command];
  if (to === undefined) {
    const allowed = Object.keys(transitions[from]);
    throw new RefusedTransition({
      from,
      action: command,
      message: `a clue that is ${from} cannot ${command}; allowed now: ${allowed.length > 0 ? allowed.join(", ") : "nothing (final)"}`,
    });
  }
  return to;
}

/** A clue is concluded once it has lead assignments and every one of them is finished. */
export function leadsFinished(leadStates: readonly AssignmentState[]): boolean {
  return leadStates.length > 0 && leadStates.every((state) => finishedAssignmentStates.has(state));
}

/** What a call-back result does to a fed-back clue. */
export type CallBackEffect = "close" | "keep-trying" | "reopen" | "escalate" | "close-final";

/**
 * The first dissatisfaction reopens the clue; the second escalates it to the district commission; one after
 * the commission's own handling closes it for good (there is no one above it in the district). An unreachable
 * reporter leaves the task open for another call. `dissatisfiedBefore` counts the clue's earlier dissatisfied
 * call-backs, not its reopenings: a supplement that reopened the clue is no dissatisfaction.
 *
 * @example
 * callBackEffect({ result: "dissatisfied", dissatisfiedBefore: 0, escalated: false }); // "reopen"
 */
export function callBackEffect(options: {
  result: CallBackResult;
  dissatisfiedBefore: number;
  escalated: boolean;
}): CallBackEffect {
  if (options.result === "satisfied") return "close";
  if (options.result === "unreachable") return "keep-trying";
  if (options.escalated) return "close-final";
  return options.dissatisfiedBefore === 0 ? "reopen" : "escalate";
}
