import type { AssignmentAction, AssignmentRole, AssignmentState, AssignmentTrack } from "@clueline/contracts";
import { RefusedTransition } from "@clueline/contracts/errors";

/**
 * What can happen to an assignment: the actions of a unit, `reopen` after a dissatisfied call-back or a redo
 * (发回重办), `review` (a discipline lead's 不予受理 goes to the commission like a return), and the commission's
 * decisions on a return: `uphold` or `reassign` (改派).
 */
export type AssignmentCommand = AssignmentAction["action"] | "reopen" | "review" | "uphold" | "reassign";

export const assignmentCommands = [
  "accept",
  "reject",
  "transfer",
  "dispose",
  "progress",
  "conclude",
  "notify",
  "reopen",
  "return",
  "review",
  "uphold",
  "reassign",
] as const satisfies readonly AssignmentCommand[];

/**
 * DESIGN §7 for one unit's work on a clue. Choosing a disposition or recording progress starts the work;
 * concluding needs the work started, so every conclusion has a disposition behind it. `notify` (the acceptance
 * notice to a real-name reporter) changes no state but needs the clue accepted. Rejected (不予受理) and
 * transferred (转送) assignments are final: a transfer inside the district creates a new assignment instead.
 * Returning (退回) answers a new assignment as accepting, rejecting or transferring do: upheld, the assignment is
 * `assigned` again and the unit must take it up; reassigned (改派), it ends and another unit gets a new one.
 */
const transitions: Record<AssignmentState, Partial<Record<AssignmentCommand, AssignmentState>>> = {
  assigned: { accept: "accepted", reject: "rejected", transfer: "transferred", return: "returned", review: "returned" },
  accepted: { dispose: "in-progress", progress: "in-progress", notify: "accepted" },
  "in-progress": { dispose: "in-progress", progress: "in-progress", conclude: "concluded", notify: "in-progress" },
  concluded: { reopen: "in-progress", notify: "concluded" },
  transferred: {},
  rejected: {},
  returned: { uphold: "assigned", reassign: "reassigned" },
  reassigned: {},
};

/** States from which an assignment never moves again on its own. */
export const finishedAssignmentStates: ReadonlySet<AssignmentState> = new Set([
  "concluded",
  "rejected",
  "transferred",
  "reassigned",
]);

/**
 * The state an assignment moves to, or {@link RefusedTransition} naming the state and the action.
 *
 * @example
 * nextAssignmentState("assigned", "accept"); // "accepted"
 * nextAssignmentState("assigned", "conclude"); // throws RefusedTransition
 */
export function nextAssignmentState(from: AssignmentState, command: AssignmentCommand): AssignmentState {
  const to = transitions[from][command];
  if (to === undefined) {
    const allowed = Object.keys(transitions[from]);
    throw new RefusedTransition({
      from,
      action: command,
      message: `an assignment that is ${from} cannot be ${pastTense[command]}; allowed now: ${allowed.length > 0 ? allowed.join(", ") : "nothing (final)"}`,
    });
  }
  return to;
}

const pastTense: Record<AssignmentCommand, string> = {
  accept: "accepted",
  reject: "rejected",
  transfer: "transferred",
  dispose: "given a disposition",
  progress: "given progress",
  conclude: "concluded",
  notify: "used to notify the reporter",
  reopen: "reopened",
  return: "returned",
  review: "sent to review",
  uphold: "upheld",
  reassign: "reassigned",
};

/**
 * Whether a unit's 不予受理 goes to the commission's review instead of ending the assignment: a discipline lead's
 * does (DESIGN §7: nothing concludes a clue without a lead's conclusion or the commission's decision).
 *
 * @example
 * rejectionReviewed({ track: "discipline", role: "lead" }); // true
 */
export function rejectionReviewed(assignment: { track: AssignmentTrack; role: AssignmentRole }): boolean {
  return assignment.track === "discipline" && assignment.role === "lead";
}
