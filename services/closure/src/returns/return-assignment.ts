import { type AssignmentRef, type AssignmentState, newId } from "@clueline/contracts";
import { recordAssignmentChange } from "../ledger/assignments/record-assignment-change.js";
import { eventBase, type LedgerContext } from "../ledger/ledger-context.js";
import { nextAssignmentState } from "../lifecycle/assignment-machine.js";
import { type ReturnKind, returnRefusal } from "./returns-rules.js";
import { openReturn, upheldBefore } from "./returns-table.js";

/**
 * 退回: the unit sends its new assignment back to the commission's review with a reason (`kind: return`), or a
 * discipline lead's 不予受理 goes there (`reject`) instead of ending the assignment. The assignment is `returned`
 * until the commission decides (`decideReturn`); its clocks keep running, since a return does not stop time (an
 * upheld one leaves the unit as late as it would have been). The reason, already scrubbed of contacts, stays in the
 * ledger; `assignment.returned` names the unit and the reviewer. Refused when the commission upheld the assignment
 * before: the unit handles it. Runs inside a unit action's transaction, with the clue and assignment locked.
 *
 * @example
 * await returnAssignment(ctx, { clueId, assignment, from: "assigned", kind: "return", reason });
 */
export async function returnAssignment(
  ctx: LedgerContext,
  input: { clueId: string; assignment: AssignmentRef; from: AssignmentState; kind: ReturnKind; reason: string },
): Promise<string> {
  const to = nextAssignmentState(input.from, input.kind === "return" ? "return" : "review");
  const refused = returnRefusal({ upheldBefore: await upheldBefore(ctx.tx, input.assignment.assignmentId) });
  if (refused) throw refused;
  const returnId = newId();
  await openReturn(ctx.tx, {
    returnId,
    clueId: input.clueId,
    assignmentId: input.assignment.assignmentId,
    unitId: input.assignment.unitId,
    kind: input.kind,
    reason: input.reason,
    by: ctx.subject,
    at: ctx.now,
  });
  await recordAssignmentChange(ctx, {
    assignmentId: input.assignment.assignmentId,
    event: {
      ...eventBase(ctx, input.clueId),
      event: "assignment.returned",
      assignment: input.assignment,
      from: input.from,
      to,
      returnId,
      kind: input.kind,
      reviewer: ctx.commissionUnit,
    },
    set: { responded_at: ctx.now, ...(input.kind === "reject" ? { reject_reason: input.reason } : {}) },
    note: input.reason,
  });
  return returnId;
}
