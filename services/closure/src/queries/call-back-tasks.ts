import type { Queryable } from "@clueline/db";
import { z } from "@hono/zod-openapi";
import { Instant } from "./row-types.js";

/** A call-back (回访) due, as the operators' API shows it: no reporter identity. */
export const CallBackTask = z
  .object({
    taskId: z.string(),
    clueId: z.string(),
    /** 1 for the first call-back, 2 after a reopening, 3 after escalation. */
    round: z.int(),
    dueAt: z.string(),
    attempts: z.int(),
    channel: z.enum(["hotline", "intake", "media"]),
    /** The result the unit gave, which the operator confirms with the reporter. */
    reply: z.string().nullable(),
  })
  .openapi("CallBackTask");
export type CallBackTask = z.infer<typeof CallBackTask>;

const DueTaskRow = z.object({
  task_id: z.string(),
  clue_id: z.string(),
  round: z.int(),
  due_at: Instant,
  attempts: z.int(),
  channel: CallBackTask.shape.channel,
  reply: z.string().nullable(),
});
const TaskStateRow = z.object({ clue_id: z.string(), state: z.enum(["due", "done"]) });

/**
 * The call-backs due by `now`, oldest first.
 *
 * @example
 * const items = await listDueCallBacks(db, { now: clock(), limit: 50 });
 */
export async function listDueCallBacks(db: Queryable, options: { now: Date; limit: number }): Promise<CallBackTask[]> {
  const { rows } = await db.query(
    `select t.task_id, t.clue_id, t.round, t.due_at, t.attempts, c.channel, c.reply
     from call_backs t join clues c on c.clue_id = t.clue_id
     where t.state = 'due' and t.due_at <= $1 order by t.due_at limit $2`,
    [options.now, options.limit],
  );
  return rows.map((raw) => {
    const row = DueTaskRow.parse(raw);
    return {
      taskId: row.task_id,
      clueId: row.clue_id,
      round: row.round,
      dueAt: row.due_at,
      attempts: row.attempts,
      channel: row.channel,
      reply: row.reply,
    };
  });
}

/** A call-back task's clue and whether it is still due, or null for no such task. */
export async function readCallBackTask(db: Queryable, taskId: string): Promise<{ clueId: string; state: "due" | "done" } | null> {
  const { rows } = await db.query("select clue_id, state from call_backs where task_id = $1", [taskId]);
  if (!rows[0]) return null;
  const row = TaskStateRow.parse(rows[0]);
  return { clueId: row.clue_id, state: row.state };
}
