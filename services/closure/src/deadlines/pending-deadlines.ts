import type { DeadlineKind } from "@clueline/contracts";
import type { Database, Queryable } from "@clueline/db";
import type { WorkingCalendar } from "../calendar/index.js";
import { deadlineRow } from "../ledger/deadline-rows.js";
import type { LedgerEvent } from "../ledger/events/ledger-event.js";
import { appendLifecycleBatch } from "../ledger/events/ledger-events.js";
import type { ClockStart, DeadlineClock } from "./deadline-clock.js";

const ACTOR = { kind: "system", id: "deadline-scan" } as const;

interface PendingRow {
  deadline_id: string | number;
  clue_id: string;
  assignment_id: string | null;
  unit_id: string | null;
  kind: DeadlineKind;
  clock_from: Date | string;
  clock_days: number;
  clock_unit: ClockStart["unit"];
}

/**
 * Computes the calendar-pending clocks whose missing year the calendar now has (an operator added it): each gets
 * its due date from the start it was recorded with, joins the scan's index if it is still live, gives its
 * assignment the date, and `deadline.scheduled` tells downstream systems. From then on the normal reminder and
 * overdue path applies; a reminder whose day has passed fires on the next scan, late rather than never.
 *
 * @example
 * const resolver = createPendingDeadlineResolver({ db, deadlines, calendar });
 * await resolver.resolveOnce(); // { scheduled: 12 }
 */
export function createPendingDeadlineResolver(options: {
  db: Database;
  deadlines: DeadlineClock;
  calendar: Pick<WorkingCalendar, "hasYear">;
  clock?: () => Date;
  batchSize?: number;
}) {
  const clock = options.clock ?? (() => new Date());
  const batchSize = options.batchSize ?? 2_000;

  /** Computes up to one batch in one transaction; returns how many clocks got a due date. */
  async function resolveOnce(): Promise<{ scheduled: number }> {
    const now = clock();
    return options.db.transaction(async (tx) => {
      const years = await coveredPendingYears(tx);
      if (years.length === 0) return { scheduled: 0 };
      // skip locked, as the scan does: a clock an action is meeting right now is computed on the next turn.
      const { rows } = await tx.query<PendingRow & Record<string, unknown>>(
        `select deadline_id, clue_id, assignment_id, unit_id, kind, clock_from, clock_days, clock_unit from deadlines
         where calendar_missing_year = any($1::int[]) order by deadline_id limit $2 for update skip locked`,
        [years, batchSize],
      );
      const computed = rows.map((row) => {
        const start = { from: new Date(row.clock_from), days: Number(row.clock_days), unit: row.clock_unit };
        const owner = { clueId: row.clue_id, assignmentId: row.assignment_id, unitId: row.unit_id };
        return { id: String(row.deadline_id), ...deadlineRow(owner, row.kind, options.deadlines.compute(start)) };
      });
      // A live clock (stage pending) takes the new stage and next moment; a met or overdue one only its dates.
      await tx.query(
        `update deadlines d set due_on = r.due_on, due_at = r.due_at, remind_at = r.remind_at,
           calendar_missing_year = r.calendar_missing_year,
           stage = case when d.stage = 'pending' then r.stage else d.stage end,
           next_at = case when d.stage = 'pending' then r.next_at else d.next_at end
         from jsonb_to_recordset($1::jsonb) as r(id bigint, due_on date, due_at timestamptz, remind_at timestamptz,
           stage text, next_at timestamptz, calendar_missing_year int)
         where d.deadline_id = r.id`,
        [JSON.stringify(computed)],
      );
      const dated = computed.filter((row) => row.calendar_missing_year === null && row.due_on !== null);
      await dateAssignments(tx, dated);
      const events: LedgerEvent[] = dated.map((row) => ({
        clueId: row.clueId,
        occurredAt: now.toISOString(),
        actor: ACTOR,
        event: "deadline.scheduled",
        deadline: { kind: row.kind, dueOn: row.due_on as string, assignmentId: row.assignmentId, unitId: row.unitId },
      }));
      await appendLifecycleBatch(tx, { events, subject: ACTOR.id, at: now });
      return { scheduled: dated.length };
    });
  }

  /** The missing years that pending clocks wait for and the calendar now has. */
  async function coveredPendingYears(tx: Queryable): Promise<number[]> {
    const { rows } = await tx.query<{ year: number }>(
      "select distinct calendar_missing_year as year from deadlines where calendar_missing_year is not null",
    );
    return rows.map((row) => Number(row.year)).filter((year) => options.calendar.hasYear(year));
  }

  return { resolveOnce, batchSize };
}

/** Gives assignments the due dates of their accept and (latest) conclude clocks. */
async function dateAssignments(
  tx: Queryable,
  rows: { id: string; assignmentId: string | null; kind: DeadlineKind; due_on: string | null }[],
): Promise<void> {
  for (const [kind, column] of [
    ["accept", "accept_due_on"],
    ["conclude", "conclude_due_on"],
  ] as const) {
    const mine = rows.filter((row) => row.kind === kind && row.assignmentId !== null);
    if (mine.length === 0) continue;
    await tx.query(
      `update assignments a set ${column} = r.due_on
       from jsonb_to_recordset($1::jsonb) as r(id bigint, "assignmentId" text, due_on date)
       where a.assignment_id = r."assignmentId" and not exists (
         select 1 from deadlines later where later.assignment_id = r."assignmentId" and later.kind = $2
           and later.deadline_id > r.id)`,
      [JSON.stringify(mine), kind],
    );
  }
}

export type PendingDeadlineResolver = ReturnType<typeof createPendingDeadlineResolver>;
