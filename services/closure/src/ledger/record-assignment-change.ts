import { type DeadlineKind, LifecycleEvent, newId } from "@clueline/contracts";
import type { LedgerContext } from "./ledger-context.js";

/**
 * Writes one unit action in a single statement: the assignment's new state and columns, the clocks it meets and
 * its lifecycle event (parsed here, as {@link appendLifecycle} does). Unit actions are the ledger's hot path and
 * each round trip to PostgreSQL is a measurable share of their cost, so the four writes travel together.
 * Column names come from code, never from input.
 */
export async function recordAssignmentChange(
  ctx: LedgerContext,
  options: {
    assignmentId: string;
    event: LifecycleEvent & { to: string };
    set?: Record<string, unknown>;
    meet?: DeadlineKind[];
    note?: string | undefined;
  },
): Promise<void> {
  const event = LifecycleEvent.parse(options.event);
  const columns = Object.entries(options.set ?? {});
  const sets = columns.map(([column], index) => `, ${column} = $${index + 11}`).join("");
  await ctx.tx.query(
    `with met as (
       update deadlines set stage = 'met', next_at = null
       where assignment_id = $1 and kind = any($4::text[]) and stage <> 'met'),
     logged as (
       insert into ledger_events (event_id, stream, clue_id, event, payload, note, actor, occurred_at)
       values ($5, 'lifecycle', $6, $7, $8, $9, $10, $3))
     update assignments set state = $2, updated_at = $3${sets} where assignment_id = $1`,
    [
      options.assignmentId,
      options.event.to,
      ctx.now,
      options.meet ?? [],
      newId(),
      event.clueId,
      event.event,
      JSON.stringify(event),
      options.note ?? null,
      ctx.subject,
      ...columns.map(([, value]) => value),
    ],
  );
}
