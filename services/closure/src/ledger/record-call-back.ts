import type { CallBackResult } from "@clueline/contracts";
import { RefusedTransition } from "@clueline/contracts/errors";
import { callBackEffect, nextClueState } from "../lifecycle/clue-machine.js";
import { assignUnit } from "./assign-unit.js";
import { assignmentsOf } from "./assignments/assignments-table.js";
import { type ClueRecord, lockClue, moveClue } from "./clues/clues-table.js";
import { appendLifecycle } from "./events/ledger-events.js";
import { dueCallBackOf, finishCallBack, retryCallBack } from "./feedback/call-backs-table.js";
import { eventBase, type LedgerContext } from "./ledger-context.js";
import { concludedLeadsOf, reopenLeadAssignment } from "./reopen-lead.js";
import { scrubberForClue } from "./scrub-notes.js";

/** An unreachable reporter is called again after this long: a different time of day, still the same shift week. */
const RETRY_UNREACHABLE_MS = 4 * 3_600_000;

/**
 * Records a hotline call-back (回访) on a fed-back real-name clue: satisfied closes it; the first
 * dissatisfaction reopens the lead assignments; the second escalates to the district commission (DESIGN §7).
 * The operator's note, written just after speaking with the reporter, is stored scrubbed of contacts and of the
 * reporter's own name, phone and ID number: every unit on the clue reads it. The HTTP route and the feedback
 * topic both come here.
 */
export async function recordCallBack(
  ctx: LedgerContext,
  options: { clueId: string; result: CallBackResult; operatorId: string; note?: string | undefined },
): Promise<void> {
  const clue = await lockClue(ctx.tx, options.clueId);
  // The due task, and how many earlier call-backs found the reporter dissatisfied (rule: reopen once, then escalate).
  const task = await dueCallBackOf(ctx.tx, clue.clueId);
  if (clue.state !== "fed-back" || !task) {
    throw new RefusedTransition({
      from: clue.state,
      action: "call-back",
      message: `no call-back is due on a clue that is ${clue.state}`,
    });
  }
  const note = options.note === undefined ? undefined : (await scrubberForClue(ctx, clue.clueId))(options.note);
  const effect = callBackEffect({
    result: options.result,
    dissatisfiedBefore: task.dissatisfied,
    escalated: clue.escalated,
  });
  if (effect === "keep-trying") {
    await retryCallBack(ctx.tx, { taskId: task.task_id, dueAt: new Date(ctx.now.getTime() + RETRY_UNREACHABLE_MS) });
  } else {
    await finishCallBack(ctx.tx, {
      taskId: task.task_id,
      result: options.result,
      note: note ?? null,
      operatorId: options.operatorId,
      at: ctx.now,
    });
  }
  const assignments = await assignmentsOf(ctx.tx, clue.clueId);
  const leadUnits = [...new Set(assignments.filter((a) => a.role === "lead" && a.state === "concluded").map((a) => a.unitId))];
  const base = eventBase(ctx, clue.clueId);
  const round = Number(task.round);
  const recorded = { ...base, event: "clue.call-back-recorded" as const, result: options.result, round, leadUnits };
  await appendLifecycle(ctx, recorded, note);
  await ctx.conduct?.observe(ctx.tx, { events: [recorded], subject: ctx.subject, at: ctx.now });

  if (effect === "close" || effect === "close-final") {
    const closed = nextClueState(clue.state, "close");
    await moveClue(ctx.tx, { clueId: clue.clueId, to: closed, at: ctx.now, set: { closed_at: ctx.now } });
    await appendLifecycle(ctx, {
      ...base,
      event: "clue.closed",
      reason: effect === "close" ? "satisfied" : "final-dissatisfied",
    });
  } else if (effect === "reopen" && leadUnits.length > 0) {
    await reopen(ctx, clue, leadUnits);
  } else if (effect === "reopen" || effect === "escalate") {
    // With no concluded lead to reopen (every lead rejected the clue), the commission takes it at once.
    await escalate(ctx, clue);
  }
}

async function reopen(ctx: LedgerContext, clue: ClueRecord, leadUnits: string[]): Promise<void> {
  await moveClue(ctx.tx, { clueId: clue.clueId, to: nextClueState(clue.state, "reopen"), at: ctx.now, reopened: true });
  await appendLifecycle(ctx, {
    ...eventBase(ctx, clue.clueId),
    event: "clue.reopened",
    reopenCount: clue.reopenCount + 1,
    reason: "dissatisfied",
    leadUnits,
  });
  for (const lead of await concludedLeadsOf(ctx.tx, clue.clueId)) await reopenLeadAssignment(ctx, lead);
}

/** The commission takes the lead; its own earlier lead assignment, if it had one, is reopened instead. */
async function escalate(ctx: LedgerContext, clue: ClueRecord): Promise<void> {
  const escalated = nextClueState(clue.state, "escalate");
  await moveClue(ctx.tx, { clueId: clue.clueId, to: escalated, at: ctx.now, set: { escalated: true } });
  await appendLifecycle(ctx, { ...eventBase(ctx, clue.clueId), event: "clue.escalated", to: ctx.commissionUnit });
  const own = (await assignmentsOf(ctx.tx, clue.clueId)).find(
    (a) => a.role === "lead" && a.unitId === ctx.commissionUnit && a.state === "concluded",
  );
  if (own) return reopenLeadAssignment(ctx, own);
  const lead = { unitId: ctx.commissionUnit, role: "lead", track: "discipline" } as const;
  await assignUnit(ctx, { ...lead, clueId: clue.clueId, cause: "escalation", channel: clue.channel });
}
