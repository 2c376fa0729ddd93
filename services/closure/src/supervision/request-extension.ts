import { AssignmentState, DeadlineKind, newId } from "@clueline/contracts";
import { z } from "zod";
import { appendLifecycle } from "../ledger/events/ledger-events.js";
import { eventBase, type LedgerContext } from "../ledger/ledger-context.js";
import { AssignmentNotFound } from "../ledger/ledger-errors.js";
import { scrubberForClue } from "../ledger/scrub-notes.js";
import { insertExtensionRequest } from "./extension-requests-table.js";
import { extensionRequestRefusal } from "./supervision-rules.js";

/** The clocks an assignment has: acceptance, and conclusion once it is accepted or disposed. */
export type AssignmentClockKind = "accept" | "conclude";

const AssignmentRow = z.object({
  clue_id: z.string(),
  unit_id: z.string(),
  state: AssignmentState,
});

const ClockRow = z.object({
  deadline_id: z.union([z.string(), z.number()]).transform(String),
  kind: DeadlineKind,
  due_on: z.string().nullable(),
  stage: z.enum(["pending", "reminded", "overdue", "met"]),
  pending_request: z.boolean(),
});

/** A request as the API answers it. */
export interface ExtensionRequestView {
  requestId: string;
  clueId: string;
  assignmentId: string;
  unitId: string;
  kind: string;
  workingDays: number;
  state: "pending" | "granted" | "refused";
  dueOn: string;
  newDueOn: string | null;
}

/**
 * 延期申请: the unit holding an assignment asks for `workingDays` more on one of its running clocks (the latest of
 * `kind`, or the assignment's latest running clock), with a reason scrubbed of contacts and the reporter's
 * identity. `extension.requested` goes to the outbox; the reason stays in the ledger. Throws
 * `AssignmentNotFound` for another unit's assignment, `SupervisionRefused` (409) when there is nothing to extend
 * or a request on the clock awaits a decision.
 *
 * @example
 * await db.transaction((tx) => requestExtension({ ...ctx, tx }, { assignmentId, unitId, workingDays: 5, reason }));
 */
export async function requestExtension(
  ctx: LedgerContext,
  input: { assignmentId: string; unitId: string; kind?: AssignmentClockKind | undefined; workingDays: number; reason: string },
): Promise<ExtensionRequestView> {
  // The assignment's lock serializes requests on its clocks: a second one sees the first as pending.
  const { rows } = await ctx.tx.query("select clue_id, unit_id, state from assignments where assignment_id = $1 for update", [
    input.assignmentId,
  ]);
  if (!rows[0]) throw new AssignmentNotFound(input.assignmentId);
  const assignment = AssignmentRow.parse(rows[0]);
  if (assignment.unit_id !== input.unitId) throw new AssignmentNotFound(input.assignmentId);
  const clocks = await ctx.tx.query(
    `select d.deadline_id, d.kind, d.due_on::text, d.stage,
       exists (select 1 from extension_requests r where r.deadline_id = d.deadline_id and r.state = 'pending') as pending_request
     from deadlines d where d.clue_id = $3 and d.assignment_id = $1 and ($2::text is null or d.kind = $2)
       and d.kind in ('accept', 'conclude')
     order by (d.stage in ('pending', 'reminded')) desc, d.deadline_id desc limit 1 for update of d`,
    [input.assignmentId, input.kind ?? null, assignment.clue_id],
  );
  const clock = clocks.rows[0] ? ClockRow.parse(clocks.rows[0]) : null;
  const refused = extensionRequestRefusal({
    assignmentState: assignment.state,
    clock: clock && { stage: clock.stage, dueOn: clock.due_on, pendingRequest: clock.pending_request },
  });
  if (refused !== null) throw refused;
  if (clock === null || clock.due_on === null) throw new Error("unreachable: extensionRequestRefusal refuses a missing clock");

  const requestId = newId();
  const reason = (await scrubberForClue(ctx, assignment.clue_id))(input.reason);
  await insertExtensionRequest(ctx.tx, {
    requestId,
    clueId: assignment.clue_id,
    assignmentId: input.assignmentId,
    deadlineId: clock.deadline_id,
    unitId: input.unitId,
    kind: clock.kind,
    workingDays: input.workingDays,
    reason,
    requestedBy: ctx.subject,
    requestedAt: ctx.now,
  });
  const deadline = { kind: clock.kind, dueOn: clock.due_on, assignmentId: input.assignmentId, unitId: input.unitId };
  await appendLifecycle(
    ctx,
    { ...eventBase(ctx, assignment.clue_id), event: "extension.requested", requestId, deadline, workingDays: input.workingDays },
    reason,
  );
  return {
    requestId,
    clueId: assignment.clue_id,
    assignmentId: input.assignmentId,
    unitId: input.unitId,
    kind: clock.kind,
    workingDays: input.workingDays,
    state: "pending",
    dueOn: clock.due_on,
    newDueOn: null,
  };
}
