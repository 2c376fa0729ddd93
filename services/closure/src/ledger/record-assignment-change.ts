import { type AssignmentState, type DeadlineKind, LifecycleEvent, newId } from "@clueline/contracts";
import { canDefer } from "./assignment-change-buffer.js";
import type { LedgerContext } from "./ledger-context.js";

/** A lead assignment of a clue as a conclusion needs it. */
export interface LeadState {
  unitId: string;
  state: AssignmentState;
}

/**
 * Writes one unit action in a single statement: the assignment's new state and columns, the clocks it meets and
 * its lifecycle event (parsed here, as {@link appendLifecycle} does). Unit actions are the ledger's hot path and
 * each round trip to PostgreSQL is a measurable share of their cost, so the four writes travel together.
 * Column names come from code, never from input.
 *
 * With `leadsOf` (the clue's id) the same statement also returns the clue's lead assignments as they stand after
 * this change (a statement does not see its own update, so the changed one's new state is put in), in assignment
 * order: a concluding lead needs them to know whether the clue concludes, and a second round trip cost as much
 * as the change. Only for an action that adds no assignment after it (a transfer to another unit adds a lead).
 * In a group commit (see `bufferAssignmentChanges`) a change that returns nothing waits to be written with the
 * group's others.
 */
export async function recordAssignmentChange(
  ctx: LedgerContext,
  options: {
    assignmentId: string;
    event: LifecycleEvent & { to: string };
    set?: Record<string, unknown>;
    meet?: DeadlineKind[];
    note?: string | undefined;
    leadsOf?: string;
  },
): Promise<LeadState[]> {
  const event = LifecycleEvent.parse(options.event);
  const eventId = newId();
  if (options.leadsOf === undefined && canDefer(ctx.tx)) {
    const deferred = ctx.tx.defer({
      assignmentId: options.assignmentId,
      state: options.event.to,
      at: ctx.now,
      meet: options.meet ?? [],
      eventId,
      clueId: event.clueId,
      event: event.event,
      payload: event,
      note: options.note ?? null,
      actor: ctx.subject,
      set: options.set ?? {},
    });
    if (deferred) return [];
  }
  const columns = Object.entries(options.set ?? {});
  const sets = columns.map(([column], index) => `, ${column} = $${index + 11}`).join("");
  const update = `update assignments set state = $2, updated_at = $3${sets} where assignment_id = $1`;
  const { rows } = await ctx.tx.query<{ unit_id: string; state: AssignmentState }>(
    `with met as (
       update deadlines set stage = 'met', next_at = null
       where assignment_id = $1 and kind = any($4::text[]) and stage <> 'met'),
     logged as (
       insert into ledger_events (event_id, stream, clue_id, event, payload, note, actor, occurred_at)
       values ($5, 'lifecycle', $6, $7, $8, $9, $10, $3))
     ${
       options.leadsOf === undefined
         ? update
         : `, changed as (${update})
       select unit_id, case when assignment_id = $1 then $2 else state end as state from assignments
        where clue_id = $${11 + columns.length} and role = 'lead' order by assigned_at, assignment_id`
     }`,
    [
      options.assignmentId,
      options.event.to,
      ctx.now,
      options.meet ?? [],
      eventId,
      event.clueId,
      event.event,
      JSON.stringify(event),
      options.note ?? null,
      ctx.subject,
      ...columns.map(([, value]) => value),
      ...(options.leadsOf === undefined ? [] : [options.leadsOf]),
    ],
  );
  return rows.map((row) => ({ unitId: row.unit_id, state: row.state }));
}
