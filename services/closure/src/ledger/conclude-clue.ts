import { newId } from "@clueline/contracts";
import { leadsFinished, nextClueState } from "../lifecycle/clue-machine.js";
import { canDefer } from "./assignment-change-buffer.js";
import { deadlineRow, insertDeadlinesFrom } from "./deadline-rows.js";
import { eventBase, type LedgerContext } from "./ledger-context.js";
import { LedgerEvent } from "./ledger-event.js";
import { assignmentsOf, type ClueRecord } from "./ledger-records.js";
import type { LeadState } from "./record-assignment-change.js";

/**
 * Concludes an open clue once every lead assignment is finished (DESIGN §7), and starts the clock for the
 * result owed to a real-name reporter. Does nothing while a lead is still at work. `leads` are the clue's lead
 * assignments as they stand now, in assignment order, when the caller has them; otherwise they are read here.
 * The conclusion is one statement: the clue's state, the reporter's clock and the `clue.concluded` event; in a
 * group commit it waits to be written with the group's other writes.
 */
export async function concludeClueIfDone(ctx: LedgerContext, clue: ClueRecord, leads?: LeadState[]): Promise<void> {
  if (clue.state !== "open") return;
  const current = leads ?? (await assignmentsOf(ctx.tx, clue.clueId)).filter((a) => a.role === "lead");
  if (!leadsFinished(current.map((lead) => lead.state))) return;
  const to = nextClueState(clue.state, "conclude");
  const notice = clue.reporterKind === "real-name" ? ctx.deadlines.resultNotice({ concludedAt: ctx.now }) : null;
  // The reporter judges the units that answered, not those that passed the clue on.
  const leadUnits = [...new Set(current.filter((lead) => lead.state !== "transferred").map((lead) => lead.unitId))];
  const clocks = notice
    ? [deadlineRow({ clueId: clue.clueId, assignmentId: null, unitId: leadUnits[0] ?? null }, "result-notice", notice)]
    : [];
  const event = LedgerEvent.parse({
    ...eventBase(ctx, clue.clueId),
    event: "clue.concluded",
    leadUnits,
    resultDueOn: notice?.dueOn ?? null,
  });
  const eventId = newId();
  if (canDefer(ctx.tx)) {
    ctx.tx.deferConclusion({
      clueId: clue.clueId,
      state: to,
      at: ctx.now,
      clocks,
      eventId,
      event: event.event,
      payload: event,
      actor: ctx.subject,
    });
    clue.state = to;
    return;
  }
  await ctx.tx.query(
    `with concluded as (update clues set state = $2, updated_at = $3, concluded_at = $3 where clue_id = $1),
     clocks as (${insertDeadlinesFrom("$4")})
     insert into ledger_events (event_id, stream, clue_id, event, payload, note, actor, occurred_at)
     values ($5, 'lifecycle', $1, $6, $7, null, $8, $3)`,
    [clue.clueId, to, ctx.now, JSON.stringify(clocks), eventId, event.event, JSON.stringify(event), ctx.subject],
  );
  clue.state = to;
}
