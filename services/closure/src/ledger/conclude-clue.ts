import { leadsFinished, nextClueState } from "../lifecycle/clue-machine.js";
import { startDeadline } from "./deadline-rows.js";
import { eventBase, type LedgerContext } from "./ledger-context.js";
import { appendLifecycle } from "./ledger-events.js";
import { assignmentsOf, type ClueRecord } from "./ledger-records.js";

/**
 * Concludes an open clue once every lead assignment is finished (DESIGN §7), and starts the clock for the
 * result owed to a real-name reporter. Does nothing while a lead is still at work.
 */
export async function concludeClueIfDone(ctx: LedgerContext, clue: ClueRecord): Promise<void> {
  if (clue.state !== "open") return;
  const leads = (await assignmentsOf(ctx.tx, clue.clueId)).filter((a) => a.role === "lead");
  if (!leadsFinished(leads.map((lead) => lead.state))) return;
  const to = nextClueState(clue.state, "conclude");
  await ctx.tx.query("update clues set state = $2, updated_at = $3, concluded_at = $3 where clue_id = $1", [
    clue.clueId,
    to,
    ctx.now,
  ]);
  const notice = clue.reporterKind === "real-name" ? ctx.deadlines.resultNotice({ concludedAt: ctx.now }) : null;
  // The reporter judges the units that answered, not those that passed the clue on.
  const leadUnits = [...new Set(leads.filter((lead) => lead.state !== "transferred").map((lead) => lead.unitId))];
  if (notice) {
    const owner = { clueId: clue.clueId, assignmentId: null, unitId: leadUnits[0] ?? null };
    await startDeadline(ctx.tx, { ...owner, kind: "result-notice", due: notice });
  }
  await appendLifecycle(ctx, {
    ...eventBase(ctx, clue.clueId),
    event: "clue.concluded",
    leadUnits,
    resultDueOn: notice?.dueOn ?? null,
  });
  clue.state = to;
}
