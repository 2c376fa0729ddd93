import type { CallBackResult } from "@clueline/contracts";
import { RefusedTransition } from "@clueline/contracts/errors";
import { callBackEffect, nextClueState } from "../lifecycle/clue-machine.js";
import { assignUnit } from "./assign-unit.js";
import { eventBase, type LedgerContext } from "./ledger-context.js";
import { appendLifecycle } from "./ledger-events.js";
import { assignmentsOf, type ClueRecord, lockClue, setClueState } from "./ledger-records.js";
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
  const { rows } = await ctx.tx.query<{ task_id: string; round: number; dissatisfied: number }>(
    `select task_id, round, (select count(*)::int from call_backs d where d.clue_id = $1 and d.result = 'dissatisfied')
       as dissatisfied
     from call_backs where clue_id = $1 and state = 'due' order by round desc limit 1`,
    [clue.clueId],
  );
  const task = rows[0];
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
    dissatisfiedBefore: Number(task.dissatisfied),
    escalated: clue.escalated,
  });
  if (effect === "keep-trying") {
    await ctx.tx.query("update call_backs set attempts = attempts + 1, due_at = $2 where task_id = $1", [
      task.task_id,
      new Date(ctx.now.getTime() + RETRY_UNREACHABLE_MS),
    ]);
  } else {
    await ctx.tx.query(
      `update call_backs set state = 'done', attempts = attempts + 1, result = $2, note = $3, operator_id = $4, recorded_at = $5
       where task_id = $1`,
      [task.task_id, options.result, note ?? null, options.operatorId, ctx.now],
    );
  }
  const assignments = await assignmentsOf(ctx.tx, clue.clueId);
  const leadUnits = [...new Set(assignments.filter((a) => a.role === "lead" && a.state === "concluded").map((a) => a.unitId))];
  const base = eventBase(ctx, clue.clueId);
  const round = Number(task.round);
  const recorded = { ...base, event: "clue.call-back-recorded" as const, result: options.result, round, leadUnits };
  await appendLifecycle(ctx, recorded, note);
  await ctx.conduct?.observe(ctx.tx, { events: [recorded], subject: ctx.subject, at: ctx.now });

  if (effect === "close" || effect === "close-final") {
    await setClueState(ctx.tx, clue.clueId, nextClueState(clue.state, "close"), ctx.now);
    await ctx.tx.query("update clues set closed_at = $2 where clue_id = $1", [clue.clueId, ctx.now]);
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
  await setClueState(ctx.tx, clue.clueId, nextClueState(clue.state, "reopen"), ctx.now);
  await ctx.tx.query("update clues set reopen_count = reopen_count + 1 where clue_id = $1", [clue.clueId]);
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
  await setClueState(ctx.tx, clue.clueId, nextClueState(clue.state, "escalate"), ctx.now);
  await ctx.tx.query("update clues set escalated = true where clue_id = $1", [clue.clueId]);
  await appendLifecycle(ctx, { ...eventBase(ctx, clue.clueId), event: "clue.escalated", to: ctx.commissionUnit });
  const own = (await assignmentsOf(ctx.tx, clue.clueId)).find(
    (a) => a.role === "lead" && a.unitId === ctx.commissionUnit && a.state === "concluded",
  );
  if (own) return reopenLeadAssignment(ctx, own);
  const lead = { unitId: ctx.commissionUnit, role: "lead", track: "discipline" } as const;
  await assignUnit(ctx, { ...lead, clueId: clue.clueId, cause: "escalation", channel: clue.channel });
}
