import { AssignmentRole, AssignmentTrack } from "@clueline/contracts";
import { workClocks } from "../ledger/act-on-assignment.js";
import { assignUnit } from "../ledger/assign-unit.js";
import { lockAssignment } from "../ledger/assignments/assignments-table.js";
import { recordAssignmentChange } from "../ledger/assignments/record-assignment-change.js";
import type { LedgerEvent } from "../ledger/events/ledger-event.js";
import { assertKnownBody } from "../ledger/known-bodies.js";
import { eventBase, type LedgerContext } from "../ledger/ledger-context.js";
import { scrubContacts } from "../ledger/scrub-notes.js";
import { nextAssignmentState } from "../lifecycle/assignment-machine.js";
import { decisionRefusal, ReturnNotFound } from "./returns-rules.js";
import { assignmentOfReturn, lockReturn, recordReturnDecision } from "./returns-table.js";

/** The commission's decision on a return: uphold it (the unit handles the work) or reassign it (改派) to `to`. */
export type ReturnDecision = { decision: "uphold" } | { decision: "reassign"; to: string };

/**
 * The commission decides a return (退回). Upheld: the assignment is `assigned` again with the clocks it had, the
 * unit must take it up (and cannot return it again); a service assignment's upheld return is a service failure of
 * its department (rule 10). Reassigned (改派): the assignment ends `reassigned`, its clocks met, and `to` (a unit of
 * the directory, else `InvalidAction` on `to`) gets a fresh assignment of the same role and track with fresh clocks,
 * which puts the clue in its list and on its stream. `assignment.return-decided` names both units. Throws
 * `ReturnNotFound`, or `ReturnRefused` (409) for a return decided already or a reassignment to the same unit.
 *
 * @example
 * await db.transaction((tx) => decideReturn({ ...ctx, tx }, { returnId, decision: "reassign", to: "town-xiguan" }));
 */
export async function decideReturn(
  ctx: LedgerContext,
  input: ReturnDecision & { returnId: string; note?: string | undefined },
): Promise<{ newAssignmentId: string | null }> {
  const assignmentId = await assignmentOfReturn(ctx.tx, input.returnId);
  if (assignmentId === undefined) throw new ReturnNotFound(input.returnId);
  // The clue and the assignment first, as every change of a clue takes them; then the return, decided once.
  const { clue, assignment } = await lockAssignment(ctx.tx, assignmentId);
  const row = await lockReturn(ctx.tx, input.returnId);
  if (row === undefined) throw new ReturnNotFound(input.returnId);
  const to = input.decision === "reassign" ? input.to : undefined;
  const refused = decisionRefusal({ state: row.state, decision: input.decision, from: assignment.unitId, to });
  if (refused) throw refused;
  if (to !== undefined) assertKnownBody(ctx, { field: "to", id: to, scope: "unit" });

  const role = AssignmentRole.parse(assignment.role);
  const track = AssignmentTrack.parse(assignment.track);
  const ref = { assignmentId, unitId: assignment.unitId, role, track };
  const event = {
    ...eventBase(ctx, clue.clueId),
    event: "assignment.return-decided" as const,
    assignment: ref,
    from: assignment.state,
    to: nextAssignmentState(assignment.state, input.decision),
    returnId: input.returnId,
    kind: row.kind,
    decision: to === undefined ? ("upheld" as const) : ("reassigned" as const),
    reassignedTo: to ?? null,
  } satisfies LedgerEvent;
  const note = input.note === undefined ? undefined : scrubContacts(input.note);
  await recordAssignmentChange(ctx, { assignmentId, event, meet: to === undefined ? [] : ["accept", ...workClocks], note });
  const newAssignmentId =
    to === undefined
      ? null
      : await assignUnit(ctx, { unitId: to, role, track, clueId: clue.clueId, cause: "reassignment", channel: clue.channel });
  await recordReturnDecision(ctx.tx, {
    returnId: input.returnId,
    state: event.decision,
    by: ctx.subject,
    at: ctx.now,
    note: note ?? null,
    reassignedTo: to ?? null,
    newAssignmentId,
  });
  // Rule 10: an upheld return of a service assignment counts against its department.
  await ctx.conduct?.observe(ctx.tx, { events: [event], subject: ctx.subject, at: ctx.now });
  return { newAssignmentId };
}
