import type { DeadlineKind } from "@clueline/contracts";
import type { Queryable } from "../db/database.js";
import type { Due } from "../deadlines/deadline-clock.js";

/** Starts a clock: the scan will remind at `remindAt` and declare it overdue at `dueAt`. */
export async function startDeadline(
  tx: Queryable,
  options: { clueId: string; assignmentId: string | null; unitId: string | null; kind: DeadlineKind; due: Due },
): Promise<void> {
  const { due } = options;
  // A reminder whose moment is already past the due moment would fire after the overdue: skip straight there.
  const stage = due.remindAt >= due.dueAt ? "reminded" : "pending";
  await tx.query(
    `insert into deadlines (clue_id, assignment_id, unit_id, kind, due_on, due_at, remind_at, stage, next_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      options.clueId,
      options.assignmentId,
      options.unitId,
      options.kind,
      due.dueOn,
      due.dueAt,
      due.remindAt,
      stage,
      stage === "pending" ? due.remindAt : due.dueAt,
    ],
  );
}

/** Stops the clocks an action satisfied (met late or on time: the lifecycle events tell which). */
export async function meetDeadlines(
  tx: Queryable,
  options: { assignmentId: string; kinds: DeadlineKind[] } | { clueId: string; kinds: DeadlineKind[] },
): Promise<void> {
  const [column, id] = "assignmentId" in options ? ["assignment_id", options.assignmentId] : ["clue_id", options.clueId];
  await tx.query(
    `update deadlines set stage = 'met', next_at = null
     where ${column} = $1 and kind = any($2::text[]) and stage <> 'met'`,
    [id, options.kinds],
  );
}
