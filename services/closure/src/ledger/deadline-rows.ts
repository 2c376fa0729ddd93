import type { DeadlineKind } from "@clueline/contracts";
import type { Queryable } from "@clueline/db";
import type { Due } from "../deadlines/deadline-clock.js";

/** Who owes a clock: a clue-level clock (a notice to the reporter) has no assignment. */
export interface DeadlineOwner {
  clueId: string;
  assignmentId: string | null;
  unitId: string | null;
}

/** A row of `deadlines` as the ledger inserts it. */
export interface DeadlineRow extends DeadlineOwner {
  kind: DeadlineKind;
  due_on: string | null;
  due_at: string | null;
  remind_at: string | null;
  stage: "pending" | "reminded";
  next_at: string | null;
  clock_from: string;
  clock_days: number;
  clock_unit: "working-days" | "calendar-days";
  calendar_missing_year: number | null;
}

/**
 * The row of a new clock: the scan reminds at `remindAt` and declares it overdue at `dueAt`. A calendar-pending
 * clock keeps its start and count; it waits outside the scan's index until its due date is computed, except a
 * calendar-day clock, whose due moment is known, so its overdue fires on time even before its reminder day is.
 */
export function deadlineRow(owner: DeadlineOwner, kind: DeadlineKind, due: Due): DeadlineRow {
  // Written out field by field: on Node 20 building this row with spreads took about eight times as long.
  const pending = due.missingYear !== null;
  const dueAt = due.dueAt?.toISOString() ?? null;
  // A reminder whose moment is already past the due moment would fire after the overdue: skip straight there.
  // A calendar-pending clock has no reminder yet; its overdue is armed when its due moment is known (calendar days).
  const stage = pending || due.remindAt < due.dueAt ? "pending" : "reminded";
  const remindAt = pending ? null : (due.remindAt?.toISOString() ?? null);
  return {
    clueId: owner.clueId,
    assignmentId: owner.assignmentId,
    unitId: owner.unitId,
    kind,
    due_on: due.dueOn,
    stage,
    due_at: dueAt,
    remind_at: remindAt,
    next_at: pending || stage === "reminded" ? dueAt : remindAt,
    clock_from: due.start.from.toISOString(),
    clock_days: due.start.days,
    clock_unit: due.start.unit,
    calendar_missing_year: due.missingYear,
  };
}

/** The insert of the clocks in a jsonb array of {@link DeadlineRow}s given as `parameter`, to use alone or in a CTE. */
export function insertDeadlinesFrom(parameter: string): string {
  return `insert into deadlines (clue_id, assignment_id, unit_id, kind, due_on, due_at, remind_at, stage, next_at, clock_from,
       clock_days, clock_unit, calendar_missing_year)
     select "clueId", "assignmentId", "unitId", kind, due_on, due_at, remind_at, stage, next_at, clock_from, clock_days,
       clock_unit, calendar_missing_year
     from jsonb_to_recordset(${parameter}::jsonb) as r("clueId" text, "assignmentId" text, "unitId" text, kind text,
       due_on date, due_at timestamptz, remind_at timestamptz, stage text, next_at timestamptz, clock_from timestamptz,
       clock_days int, clock_unit text, calendar_missing_year int)`;
}

/** Inserts clocks in one statement. */
export async function insertDeadlines(tx: Queryable, rows: readonly DeadlineRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(insertDeadlinesFrom("$1"), [JSON.stringify(rows)]);
}

/** Starts one clock. */
export function startDeadline(tx: Queryable, options: DeadlineOwner & { kind: DeadlineKind; due: Due }): Promise<void> {
  const { kind, due, ...owner } = options;
  return insertDeadlines(tx, [deadlineRow(owner, kind, due)]);
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
