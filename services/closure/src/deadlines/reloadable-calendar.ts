import type { Logger } from "pino";
import {
  CalendarFileInvalid,
  type CalendarSource,
  createWorkingCalendar,
  parseLocalCalendar,
  type WorkingCalendar,
} from "../calendar/index.js";

export interface ReloadableCalendar {
  /** Always answers from the latest valid operator file. */
  calendar: WorkingCalendar;
  /** Re-reads the operator file; true when it changed and was applied. An invalid file is logged and not applied. */
  reload(): Promise<boolean>;
}

/**
 * The working-day calendar with the operator file re-read on demand (main.ts: every deadline-scan turn), so a year
 * added to `calendar/local.yaml` takes effect without a restart. The first load must succeed: a service never
 * starts on a calendar file it cannot read. A later invalid edit keeps the calendar in force and is logged once.
 *
 * @example
 * const { calendar, reload } = await createReloadableCalendar({ base: loadChineseDaysSource(), file, logger });
 * if (await reload()) await resolver.resolveOnce();
 */
export async function createReloadableCalendar(options: {
  base: CalendarSource;
  file: string;
  logger: Logger;
  readFile: (path: string) => Promise<string>;
}): Promise<ReloadableCalendar> {
  const { base, file, logger } = options;
  let text = await options.readFile(file);
  let current = createWorkingCalendar({ base, overrides: parseLocalCalendar(text, file) });
  let refused: string | undefined;

  async function reload(): Promise<boolean> {
    const next = await options.readFile(file);
    if (next === text || next === refused) return false;
    try {
      current = createWorkingCalendar({ base, overrides: parseLocalCalendar(next, file) });
    } catch (error) {
      if (!(error instanceof CalendarFileInvalid)) throw error;
      refused = next;
      logger.error({ calendarFile: file, issues: error.issues }, "calendar file is invalid; keeping the calendar in force");
      return false;
    }
    text = next;
    refused = undefined;
    logger.info({ calendarFile: file }, "calendar file reloaded");
    return true;
  }

  const calendar: WorkingCalendar = {
    isWorkingDay: (day) => current.isWorkingDay(day),
    addWorkingDays: (from, n) => current.addWorkingDays(from, n),
    addCalendarDays: (from, n) => current.addCalendarDays(from, n),
    workingDaysBetween: (from, to) => current.workingDaysBetween(from, to),
    hasYear: (year) => current.hasYear(year),
  };
  return { calendar, reload };
}
