import { DeadlineKind } from "@clueline/contracts";
import type { Queryable } from "@clueline/db";
import { z } from "zod";
import type { Due } from "../../deadlines/deadline-clock.js";

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

/**
 * The insert of the clocks in a jsonb array of {@link DeadlineRow}s given as `parameter`, to use alone or in a CTE.
 * Only what a reader reads is written (migration 015): no `remind_at` (while a clock waits for its reminder, `next_at`
 * is that moment), and the clock's inputs only while it is calendar-pending, to compute its dates from.
 */
export function insertDeadlinesFrom(parameter: string): string {
  return `insert into deadlines (clue_id, assignment_id, unit_id, kind, due_on, due_at, stage, next_at, clock_from, clock_days,
       clock_unit, calendar_missing_year)
     select "clueId", "assignmentId", "unitId", kind, due_on, due_at, stage, next_at, ${pendingOnly("clock_from")},
       ${pendingOnly("clock_days")}, ${pendingOnly("clock_unit")}, calendar_missing_year
     from jsonb_to_recordset(${parameter}::jsonb) as r("clueId" text, "assignmentId" text, "unitId" text, kind text,
       due_on date, due_at timestamptz, stage text, next_at timestamptz, clock_from timestamptz, clock_days int,
       clock_unit text, calendar_missing_year int)`;
}

const pendingOnly = (column: string) => `case when calendar_missing_year is not null then ${column} end`;

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

/**
 * Stops the clocks an action satisfied (met late or on time: the lifecycle events tell which): the clue's, or only
 * one assignment's of it. The clue is always named: clocks are indexed by their clue only (migration 014).
 */
export async function meetDeadlines(
  tx: Queryable,
  options: { clueId: string; assignmentId?: string; kinds: DeadlineKind[] },
): Promise<void> {
  const params = [options.clueId, options.kinds, ...(options.assignmentId === undefined ? [] : [options.assignmentId])];
  await tx.query(
    `update deadlines set stage = 'met', next_at = null
     where clue_id = $1 ${options.assignmentId === undefined ? "" : "and assignment_id = $3 "}and kind = any($2::text[])
       and stage <> 'met'`,
    params,
  );
}

/**
 * Moves a clock to a new due date (an extension granted): the scan reads its reminder and overdue from the row. Its
 * inputs are kept only if it waits for the calendar, as {@link insertDeadlinesFrom} keeps them.
 */
export async function rescheduleDeadline(tx: Queryable, options: { deadlineId: string; row: DeadlineRow }): Promise<void> {
  const { row } = options;
  const pending = row.calendar_missing_year !== null;
  await tx.query(
    `update deadlines set due_on = $2, due_at = $3, remind_at = null, stage = $4, next_at = $5, clock_from = $6,
       clock_days = $7, clock_unit = $8
     where deadline_id = $1`,
    [
      options.deadlineId,
      row.due_on,
      row.due_at,
      row.stage,
      row.next_at,
      pending ? row.clock_from : null,
      pending ? row.clock_days : null,
      pending ? row.clock_unit : null,
    ],
  );
}

const Instant = z.union([z.date(), z.string()]).transform((value) => new Date(value));
const DeadlineId = z.union([z.string(), z.number()]).transform(String);

/** A clock whose next moment (reminder or overdue) has come. */
const DueDeadline = z.object({
  deadline_id: DeadlineId,
  clue_id: z.string(),
  assignment_id: z.string().nullable(),
  unit_id: z.string().nullable(),
  kind: DeadlineKind,
  // A clock without a due date has no next moment (next_at null), so the scan never reads one.
  due_on: z.string(),
  stage: z.enum(["pending", "reminded", "overdue", "met"]),
  due_at: Instant,
});
export type DueDeadline = z.infer<typeof DueDeadline>;

/**
 * Locks up to `limit` clocks whose next moment is at or before `now`, earliest first. skip locked: a clock an action
 * is meeting right now is left for the next turn, when it is met.
 */
export async function lockDueDeadlines(tx: Queryable, options: { now: Date; limit: number }): Promise<DueDeadline[]> {
  const { rows } = await tx.query(
    `select deadline_id, clue_id, assignment_id, unit_id, kind, due_on::text, stage, due_at
     from deadlines where next_at <= $1 order by next_at limit $2 for update skip locked`,
    [options.now, options.limit],
  );
  return rows.map((row) => DueDeadline.parse(row));
}

/** The scan reminded these clocks: each waits for its due moment next. */
export async function remindDeadlines(tx: Queryable, deadlineIds: readonly string[]): Promise<void> {
  if (deadlineIds.length === 0) return;
  await tx.query("update deadlines set stage = 'reminded', next_at = due_at where deadline_id = any($1::bigint[])", [
    deadlineIds,
  ]);
}

/** These clocks went overdue: they leave the scan's index. */
export async function markDeadlinesOverdue(tx: Queryable, deadlineIds: readonly string[]): Promise<void> {
  if (deadlineIds.length === 0) return;
  await tx.query("update deadlines set stage = 'overdue', next_at = null where deadline_id = any($1::bigint[])", [deadlineIds]);
}

/** A calendar-pending clock, with the start it was recorded with. */
const CalendarPendingDeadline = z.object({
  deadline_id: DeadlineId,
  clue_id: z.string(),
  assignment_id: z.string().nullable(),
  unit_id: z.string().nullable(),
  kind: DeadlineKind,
  clock_from: Instant,
  clock_days: z.coerce.number(),
  clock_unit: z.enum(["working-days", "calendar-days"]),
});
export type CalendarPendingDeadline = z.infer<typeof CalendarPendingDeadline>;

/** The years the calendar-pending clocks wait for. */
export async function calendarPendingYears(tx: Queryable): Promise<number[]> {
  const { rows } = await tx.query<{ year: number }>(
    "select distinct calendar_missing_year as year from deadlines where calendar_missing_year is not null",
  );
  return rows.map((row) => Number(row.year));
}

/**
 * Locks up to `limit` clocks waiting for one of `years`, in id order. skip locked, as the scan does: a clock an
 * action is meeting right now is computed on the next turn.
 */
export async function lockCalendarPendingDeadlines(
  tx: Queryable,
  options: { years: readonly number[]; limit: number },
): Promise<CalendarPendingDeadline[]> {
  const { rows } = await tx.query(
    `select deadline_id, clue_id, assignment_id, unit_id, kind, clock_from, clock_days, clock_unit from deadlines
     where calendar_missing_year = any($1::int[]) order by deadline_id limit $2 for update skip locked`,
    [options.years, options.limit],
  );
  return rows.map((row) => CalendarPendingDeadline.parse(row));
}

/**
 * Gives calendar-pending clocks the dates computed for them. A live clock (stage pending) takes the new stage and
 * next moment; a met or overdue one only its dates.
 */
export async function dateDeadlines(tx: Queryable, rows: readonly (DeadlineRow & { id: string })[]): Promise<void> {
  await tx.query(
    `update deadlines d set due_on = r.due_on, due_at = r.due_at, calendar_missing_year = r.calendar_missing_year,
       stage = case when d.stage = 'pending' then r.stage else d.stage end,
       next_at = case when d.stage = 'pending' then r.next_at else d.next_at end
     from jsonb_to_recordset($1::jsonb) as r(id bigint, due_on date, due_at timestamptz, stage text, next_at timestamptz,
       calendar_missing_year int)
     where d.deadline_id = r.id`,
    [JSON.stringify(rows)],
  );
}
