import type { AssignmentCause, AssignmentRole, AssignmentTrack } from "@clueline/contracts";
import { newId } from "@clueline/contracts";
import { type AssignmentRow, insertAssignments } from "./assignments/assignments-table.js";
import { showClueTo } from "./clues/clue-units-table.js";
import { type DeadlineRow, deadlineRow, insertDeadlines } from "./deadlines/deadline-rows.js";
import type { LedgerEvent } from "./events/ledger-event.js";
import { appendLifecycle } from "./events/ledger-events.js";
import type { LedgerContext } from "./ledger-context.js";

export interface AssignmentOptions {
  clueId: string;
  unitId: string;
  role: AssignmentRole;
  track: AssignmentTrack;
  cause: AssignmentCause;
  channel: "hotline" | "intake" | "media";
}

/**
 * What giving a unit an assignment writes: the row, its clocks (accept; conclude on the service track) and the
 * `assignment.assigned` event. Pure, so a batch of routed decisions plans hundreds and inserts them together.
 */
export function planAssignment(
  ctx: Pick<LedgerContext, "now" | "actor" | "deadlines">,
  options: AssignmentOptions,
): { row: AssignmentRow; deadlines: DeadlineRow[]; event: LedgerEvent } {
  const assignmentId = newId();
  const accept = ctx.deadlines.accept({ from: ctx.now, channel: options.channel });
  const conclude = options.track === "service" ? ctx.deadlines.serviceConclude({ from: ctx.now, complex: false }) : null;
  const owner = { clueId: options.clueId, assignmentId, unitId: options.unitId };
  const assignment = { assignmentId, unitId: options.unitId, role: options.role, track: options.track };
  const occurredAt = ctx.now.toISOString();
  return {
    row: {
      assignment_id: assignmentId,
      clue_id: options.clueId,
      unit_id: options.unitId,
      role: options.role,
      track: options.track,
      cause: options.cause,
      assigned_at: occurredAt,
      accept_due_on: accept.dueOn,
      conclude_due_on: conclude?.dueOn ?? null,
    },
    deadlines: [deadlineRow(owner, "accept", accept), ...(conclude ? [deadlineRow(owner, "conclude", conclude)] : [])],
    // Written out rather than spread from eventBase: objects built with spreads are several times slower on Node 20,
    // and a batch plans hundreds of these. A calendar-pending accept clock has no date yet (acceptDueOn null):
    // `deadline.scheduled` gives it once the year is added.
    event: {
      clueId: options.clueId,
      occurredAt,
      actor: ctx.actor,
      event: "assignment.assigned",
      assignment,
      cause: options.cause,
      acceptDueOn: accept.dueOn,
      concludeDueOn: conclude?.dueOn ?? null,
    },
  };
}

/**
 * Gives a unit an assignment on a clue that is already in the ledger: its row, clocks, place in the unit's stream
 * and event. Used by transfers, escalation and reassignment (改派); routing plans its assignments with {@link planAssignment}.
 */
export async function assignUnit(ctx: LedgerContext, options: AssignmentOptions): Promise<string> {
  const plan = planAssignment(ctx, options);
  await insertAssignments(ctx.tx, [plan.row]);
  await insertDeadlines(ctx.tx, plan.deadlines);
  await showClueTo(ctx.tx, { clueId: options.clueId, unitId: options.unitId, role: options.role });
  await appendLifecycle(ctx, plan.event);
  return plan.row.assignment_id;
}
