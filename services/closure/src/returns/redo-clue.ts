import { lockClue, moveClue } from "../ledger/clues/clues-table.js";
import { meetDeadlines } from "../ledger/deadlines/deadline-rows.js";
import { appendLifecycle } from "../ledger/events/ledger-events.js";
import { withdrawCallBacks } from "../ledger/feedback/call-backs-table.js";
import { eventBase, type LedgerContext } from "../ledger/ledger-context.js";
import { concludedLeadsOf, reopenLeadAssignment } from "../ledger/reopen-lead.js";
import { scrubberForClue } from "../ledger/scrub-notes.js";
import { nextClueState } from "../lifecycle/clue-machine.js";
import { redoRefusal } from "./returns-rules.js";

/**
 * 发回重办: the commission sends a concluded, fed-back or closed clue back, after its review of the conclusion or a
 * dissatisfied call-back (`basis`), with a reason (scrubbed of contacts and the reporter's identity, kept in the
 * ledger). The clue is open again; its concluded lead assignments reopen with fresh clocks (`reopenLeadAssignment`);
 * the reporter's result clock stops and a call-back still due is dropped, both to be owed again on the next
 * conclusion. `clue.redo-ordered` names the lead units. Throws `ClueNotFound`, `RefusedTransition` (409) for a clue
 * not concluded, `ReturnRefused` (409) with no concluded lead or no dissatisfied call-back to go on.
 *
 * @example
 * await db.transaction((tx) => redoClue({ ...ctx, tx }, { clueId, basis: "review", reason }));
 */
export async function redoClue(
  ctx: LedgerContext,
  input: { clueId: string; basis: "review" | "call-back"; reason: string },
): Promise<{ redoCount: number }> {
  const clue = await lockClue(ctx.tx, input.clueId);
  const to = nextClueState(clue.state, "redo");
  const leads = await concludedLeadsOf(ctx.tx, clue.clueId);
  const { rows } = await ctx.tx.query<{ redo_count: number; dissatisfied: number | string }>(
    `select redo_count, (select count(*) from call_backs where clue_id = $1 and result = 'dissatisfied') as dissatisfied
     from clues where clue_id = $1`,
    [clue.clueId],
  );
  const refused = redoRefusal({
    concludedLeads: leads.length,
    basis: input.basis,
    dissatisfiedCallBacks: Number(rows[0]?.dissatisfied ?? 0),
  });
  if (refused) throw refused;
  const redoCount = Number(rows[0]?.redo_count ?? 0) + 1;
  const reason = (await scrubberForClue(ctx, clue.clueId))(input.reason);
  await moveClue(ctx.tx, { clueId: clue.clueId, to, at: ctx.now, set: { redo_count: redoCount, closed_at: null } });
  await meetDeadlines(ctx.tx, { clueId: clue.clueId, kinds: ["result-notice"] });
  // A call-back asks the reporter about a result that no longer stands; the next feed-back makes a new one due.
  await withdrawCallBacks(ctx.tx, { clueId: clue.clueId, at: ctx.now });
  await appendLifecycle(
    ctx,
    {
      ...eventBase(ctx, clue.clueId),
      event: "clue.redo-ordered",
      from: clue.state,
      basis: input.basis,
      leadUnits: [...new Set(leads.map((lead) => lead.unitId))],
      redoCount,
    },
    reason,
  );
  for (const lead of leads) await reopenLeadAssignment(ctx, lead);
  return { redoCount };
}
