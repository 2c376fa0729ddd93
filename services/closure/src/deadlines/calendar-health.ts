import type { Queryable } from "@clueline/db";
import type { Logger } from "pino";
import { type CalendarYearMissing, shanghaiDateOf, type WorkingCalendar } from "../calendar/index.js";

/** What `GET /health/calendar` answers. */
export interface CalendarReport {
  /** `degraded`: deadlines wait for a missing year; `warning`: next year is missing but nothing waits yet. */
  status: "ok" | "warning" | "degraded";
  /** Live clocks (not met) whose due date or reminder day waits for a year the calendar lacks. */
  pendingDeadlines: number;
  missingYears: { year: number; pendingDeadlines: number }[];
  nextYear: { year: number; covered: boolean };
  /** What the operator should do, or null. */
  action: string | null;
}

/**
 * Makes a missing calendar year loud without stopping the ledger: one error log per missing year per process (the
 * clock calls {@link noteMissingYear} for every clock it could not date), and a report of the calendar-pending
 * deadlines counted in the ledger, so every process and the health endpoint agree.
 *
 * @example
 * const health = createCalendarHealth({ db, calendar, calendarFile, logger, clock: () => new Date() });
 * createDeadlineClock({ calendar, policy, onMissingYear: health.noteMissingYear });
 */
export function createCalendarHealth(options: {
  db: Queryable;
  calendar: WorkingCalendar;
  calendarFile: string;
  logger: Logger;
  clock: () => Date;
}) {
  const logged = new Set<number>();
  const actionFor = (years: number[]) =>
    `Add ${years.join(", ")} to ${options.calendarFile} from the State Council notice (holidays, make-up working days, ` +
    "complete: true); the service reloads it within one deadline-scan interval and computes the pending deadlines.";

  function noteMissingYear(error: CalendarYearMissing): void {
    if (logged.has(error.year)) return;
    logged.add(error.year);
    options.logger.error(
      { year: error.year, calendarFile: options.calendarFile, errorClass: error.name },
      `${error.message} Until then, deadlines that need ${error.year} are recorded without a due date (calendar-pending).`,
    );
  }

  async function report(): Promise<CalendarReport> {
    const { rows } = await options.db.query<{ year: number; n: number | string }>(
      `select calendar_missing_year as year, count(*) as n from deadlines
       where calendar_missing_year is not null and stage <> 'met' group by calendar_missing_year order by 1`,
    );
    const missingYears = rows.map((row) => ({ year: Number(row.year), pendingDeadlines: Number(row.n) }));
    const pendingDeadlines = missingYears.reduce((sum, year) => sum + year.pendingDeadlines, 0);
    const next = Number(shanghaiDateOf(options.clock()).slice(0, 4)) + 1;
    const nextYear = { year: next, covered: options.calendar.hasYear(next) };
    const missing = [...new Set([...missingYears.map((y) => y.year), ...(nextYear.covered ? [] : [next])])].sort();
    const status = pendingDeadlines > 0 ? "degraded" : nextYear.covered ? "ok" : "warning";
    return { status, pendingDeadlines, missingYears, nextYear, action: status === "ok" ? null : actionFor(missing) };
  }

  return { noteMissingYear, report };
}

export type CalendarHealth = ReturnType<typeof createCalendarHealth>;
