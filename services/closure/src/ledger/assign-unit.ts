import type { AssignmentRole, AssignmentTrack } from "@clueline/contracts";
import { ulid } from "ulid";
import { startDeadline } from "./deadline-rows.js";
import { eventBase, type LedgerContext } from "./ledger-context.js";
import { appendLifecycle } from "./ledger-events.js";
import { showClueTo } from "./ledger-records.js";

/**
 * Gives a unit an assignment on a clue: the row, its clocks (accept; conclude on the service track), its
 * place in the unit's stream and the `assignment.assigned` event. Used by routing, transfers and escalation.
 */
export async function assignUnit(
  ctx: LedgerContext,
  options: {
    clueId: string;
    unitId: string;
    role: AssignmentRole;
    track: AssignmentTrack;
    cause: "routing" | "transfer" | "escalation";
    channel: "hotline" | "intake" | "media";
  },
): Promise<string> {
  const assignmentId = ulid();
  const accept = ctx.deadlines.accept({ from: ctx.now, channel: options.channel });
  const conclude = options.track === "service" ? ctx.deadlines.serviceConclude({ from: ctx.now, complex: false }) : null;
  await ctx.tx.query(
    `insert into assignments (assignment_id, clue_id, unit_id, role, track, state, cause, assigned_at, accept_due_on,
       conclude_due_on, updated_at)
     values ($1, $2, $3, $4, $5, 'assigned', $6, $7, $8, $9, $7)`,
    [
      assignmentId,
      options.clueId,
      options.unitId,
      options.role,
      options.track,
      options.cause,
      ctx.now,
      accept.dueOn,
      conclude?.dueOn ?? null,
    ],
  );
  const owner = { clueId: options.clueId, assignmentId, unitId: options.unitId };
  await startDeadline(ctx.tx, { ...owner, kind: "accept", due: accept });
  if (conclude) await startDeadline(ctx.tx, { ...owner, kind: "conclude", due: conclude });
  await showClueTo(ctx.tx, { clueId: options.clueId, unitId: options.unitId, role: options.role });
  await appendLifecycle(ctx, {
    ...eventBase(ctx, options.clueId),
    event: "assignment.assigned",
    assignment: { assignmentId, unitId: options.unitId, role: options.role, track: options.track },
    cause: options.cause,
    acceptDueOn: accept.dueOn,
    concludeDueOn: conclude?.dueOn ?? null,
  });
  return assignmentId;
}
