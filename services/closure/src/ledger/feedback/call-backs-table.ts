import type { CallBackResult } from "@clueline/contracts";
import { newId } from "@clueline/contracts";
import type { Queryable } from "@clueline/db";
import { z } from "zod";

/**
 * The `call_backs` table: the hotline's call-back tasks (回访), one round per result given to a real-name reporter.
 * Every write to it is here; the ledger's steps call these under the clue's lock.
 */

/** Opens the call-back of a new result: the next round after those done, due at once (a withdrawn round is reused). */
export async function openCallBack(tx: Queryable, options: { clueId: string; at: Date }): Promise<void> {
  await tx.query(
    `insert into call_backs (task_id, clue_id, round, state, due_at, created_at)
     select $1, $2, 1 + count(*)::int, 'due', $3, $3 from call_backs where clue_id = $2 and state = 'done'
     on conflict (clue_id, round) do update set state = 'due', due_at = excluded.due_at`,
    [newId(), options.clueId, options.at],
  );
}

const DueCallBackRow = z.object({
  task_id: z.string(),
  round: z.coerce.number().int(),
  dissatisfied: z.coerce.number().int(),
});
export type DueCallBack = z.infer<typeof DueCallBackRow>;

/** The clue's due call-back, with how many earlier call-backs found the reporter dissatisfied; undefined when none. */
export async function dueCallBackOf(tx: Queryable, clueId: string): Promise<DueCallBack | undefined> {
  const { rows } = await tx.query(
    `select task_id, round, (select count(*)::int from call_backs d where d.clue_id = $1 and d.result = 'dissatisfied')
       as dissatisfied
     from call_backs where clue_id = $1 and state = 'due' order by round desc limit 1`,
    [clueId],
  );
  return rows[0] ? DueCallBackRow.parse(rows[0]) : undefined;
}

/** Counts an attempt that did not reach the reporter and calls again at `dueAt`. */
export async function retryCallBack(tx: Queryable, options: { taskId: string; dueAt: Date }): Promise<void> {
  await tx.query("update call_backs set attempts = attempts + 1, due_at = $2 where task_id = $1", [
    options.taskId,
    options.dueAt,
  ]);
}

/** Records what the reporter said; the round is done. */
export async function finishCallBack(
  tx: Queryable,
  options: { taskId: string; result: CallBackResult; note: string | null; operatorId: string; at: Date },
): Promise<void> {
  await tx.query(
    `update call_backs set state = 'done', attempts = attempts + 1, result = $2, note = $3, operator_id = $4, recorded_at = $5
     where task_id = $1`,
    [options.taskId, options.result, options.note, options.operatorId, options.at],
  );
}

/**
 * Withdraws the clue's due call-back: it asks about a result that no longer stands (a supplement or a redo reopened
 * the clue), and the next result gets a round of its own.
 */
export async function withdrawCallBacks(tx: Queryable, options: { clueId: string; at: Date }): Promise<void> {
  await tx.query("update call_backs set state = 'done', recorded_at = $2 where clue_id = $1 and state = 'due'", [
    options.clueId,
    options.at,
  ]);
}
