import { nextClueState, supplementReopens } from "../lifecycle/clue-machine.js";
import { assignUnit } from "./assign-unit.js";
import { restreamClue } from "./clues/clue-units-table.js";
import { lockClue, moveClue } from "./clues/clues-table.js";
import { meetDeadlines } from "./deadlines/deadline-rows.js";
import { appendLifecycle } from "./events/ledger-events.js";
import { withdrawCallBacks } from "./feedback/call-backs-table.js";
import { eventBase, type LedgerContext } from "./ledger-context.js";
import { concludedLeadsOf, reopenLeadAssignment } from "./reopen-lead.js";

/** `unit_clues.stream_reason` of a clue back on a lead unit's stream because a supplement reopened it. */
export const reopenedBySupplement = "reopened-by-supplement";

/**
 * A supplement (rule 8: the same real-name reporter's new complaint, merged by the router within the merge window)
 * to a clue whose lead work is finished — concluded, fed back or closed — reopens it (DESIGN §6 rule 8, §7): the
 * clue is open again, its concluded lead assignments are back at work with fresh clocks, the result owed to the
 * reporter waits for the new conclusion (its clock met, a due call-back withdrawn), and the clue comes back onto
 * each lead unit's stream saying why. With no concluded lead (every lead rejected or passed it on), the district
 * commission takes the lead, as central registration (归口管理) would. `clue.reopened` names the reason, the merged
 * complaint and the lead units: no text, no reporter. Resolves to whether the clue reopened; a supplement to an open
 * clue joins it as it is, and one to a clue transferred out stays with the body it went to.
 *
 * The router decides whether a complaint is a supplement (it holds the reporter's history and the window); the
 * ledger decides what a supplement does (it holds the clue's state). Exactly once per supplement: the caller applies
 * each routed decision once (the inbox), in the transaction that records the supplement.
 *
 * @example
 * await reopenForSupplement(ctx, { clueId: decision.mergedInto, complaintId: decision.complaintId });
 */
export async function reopenForSupplement(
  ctx: LedgerContext,
  options: { clueId: string; complaintId: string },
): Promise<boolean> {
  const clue = await lockClue(ctx.tx, options.clueId);
  if (!supplementReopens(clue.state)) return false;
  const to = nextClueState(clue.state, "supplement");
  await moveClue(ctx.tx, { clueId: clue.clueId, to, at: ctx.now, set: { closed_at: null }, reopened: true });
  // The result is owed after the next conclusion, which starts its own clock; the call-back of this result is moot.
  await meetDeadlines(ctx.tx, { clueId: clue.clueId, kinds: ["result-notice"] });
  await withdrawCallBacks(ctx.tx, { clueId: clue.clueId, at: ctx.now });

  const leads = await concludedLeadsOf(ctx.tx, clue.clueId);
  const leadUnits = leads.length > 0 ? [...new Set(leads.map((lead) => lead.unitId))] : [ctx.commissionUnit];
  await appendLifecycle(ctx, {
    ...eventBase(ctx, clue.clueId),
    event: "clue.reopened",
    reopenCount: clue.reopenCount + 1,
    reason: "supplement",
    complaintId: options.complaintId,
    leadUnits,
  });
  for (const lead of leads) await reopenLeadAssignment(ctx, lead);
  if (leads.length === 0) {
    const lead = { unitId: ctx.commissionUnit, role: "lead", track: "discipline", cause: "escalation" } as const;
    await assignUnit(ctx, { ...lead, clueId: clue.clueId, channel: clue.channel });
  }
  // A new stream position puts the clue at the head of each lead unit's stream and list again, with the reason.
  await restreamClue(ctx.tx, { clueId: clue.clueId, unitIds: leadUnits, reason: reopenedBySupplement });
  return true;
}
