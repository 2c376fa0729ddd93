import type { Database } from "@clueline/db";
import type { WorkingCalendar } from "../calendar/index.js";
import type { DeadlineClock } from "../deadlines/deadline-clock.js";
import { dateAssignmentsFromClocks } from "../ledger/assignments/assignments-table.js";
import {
  calendarPendingYears,
  dateDeadlines,
  deadlineRow,
  lockCalendarPendingDeadlines,
} from "../ledger/deadlines/deadline-rows.js";
import type { LedgerEvent } from "../ledger/events/ledger-event.js";
import { appendLifecycleBatch } from "../ledger/events/ledger-events.js";

const ACTOR = { kind: "system", id: "deadline-scan" } as const;

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
      const years = (await calendarPendingYears(tx)).filter((year) => options.calendar.hasYear(year));
      if (years.length === 0) return { scheduled: 0 };
      const pending = await lockCalendarPendingDeadlines(tx, { years, limit: batchSize });
      const computed = pending.map((row) => {
        const start = { from: row.clock_from, days: row.clock_days, unit: row.clock_unit };
        const owner = { clueId: row.clue_id, assignmentId: row.assignment_id, unitId: row.unit_id };
        return { id: row.deadline_id, ...deadlineRow(owner, row.kind, options.deadlines.compute(start)) };
      });
      await dateDeadlines(tx, computed);
      const dated = computed.filter((row) => row.calendar_missing_year === null && row.due_on !== null);
      await dateAssignmentsFromClocks(tx, dated);
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

  return { resolveOnce, batchSize };
}

export type PendingDeadlineResolver = ReturnType<typeof createPendingDeadlineResolver>;
