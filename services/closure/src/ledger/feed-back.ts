import { RefusedTransition } from "@clueline/contracts/errors";
import { nextClueState } from "../lifecycle/clue-machine.js";
import { assignmentsOf } from "./assignments/assignments-table.js";
import { lockClue, moveClue } from "./clues/clues-table.js";
import { meetDeadlines } from "./deadlines/deadline-rows.js";
import { appendLifecycle } from "./events/ledger-events.js";
import { openCallBack } from "./feedback/call-backs-table.js";
import { eventBase, type LedgerContext } from "./ledger-context.js";
import { scrubberForClue } from "./scrub-notes.js";

/**
 * A lead unit gives the reporter the result (反馈). For a real-name reporter the hotline then calls back
 * (回访): a call-back task is due at once. An anonymous reporter reads the published reply with their receipt
 * code and cannot be called, so the clue closes here. The reply, which every unit on the clue reads, is stored
 * scrubbed of contacts and of the reporter's own identity: an inspector answering could quote either.
 */
export async function feedBack(ctx: LedgerContext, options: { clueId: string; unitId: string; reply: string }): Promise<void> {
  const clue = await lockClue(ctx.tx, options.clueId);
  const leads = (await assignmentsOf(ctx.tx, clue.clueId)).filter(
    // Units that passed the clue on (转送, 改派) no longer answer for it.
    (a) => a.role === "lead" && a.state !== "transferred" && a.state !== "reassigned",
  );
  if (!leads.some((lead) => lead.unitId === options.unitId)) {
    // Assisting or informed units may see the clue, but only a lead answers the reporter.
    throw new RefusedTransition({
      from: clue.state,
      action: "feed-back",
      message: `unit ${options.unitId} does not lead this clue`,
    });
  }
  const reply = (await scrubberForClue(ctx, clue.clueId))(options.reply);
  const fedBack = nextClueState(clue.state, "feed-back");
  await moveClue(ctx.tx, {
    clueId: clue.clueId,
    to: fedBack,
    at: ctx.now,
    set: { reply, replied_at: ctx.now, fed_back_at: ctx.now },
  });
  await meetDeadlines(ctx.tx, { clueId: clue.clueId, kinds: ["result-notice"] });
  const anonymous = clue.reporterKind === "anonymous";
  const base = eventBase(ctx, clue.clueId);
  await appendLifecycle(ctx, { ...base, event: "clue.fed-back", unitId: options.unitId, replyPublished: anonymous }, reply);
  if (anonymous) {
    await moveClue(ctx.tx, {
      clueId: clue.clueId,
      to: nextClueState(fedBack, "close"),
      at: ctx.now,
      set: { closed_at: ctx.now },
    });
    await appendLifecycle(ctx, { ...base, event: "clue.closed", reason: "anonymous" });
    return;
  }
  // One round per result given: after every call-back that ended (a reopening, an escalation) or was withdrawn
  // (a supplement reopened the clue first), the next result is called back in a round of its own.
  await openCallBack(ctx.tx, { clueId: clue.clueId, at: ctx.now });
}
