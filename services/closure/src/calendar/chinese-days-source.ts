// We read the package's data file rather than call its API: the API silently treats a year it lacks as
// Monday–Friday, and reads dates in the host's zone (a day early anywhere west of UTC).
import data from "chinese-days/dist/chinese-days.json" with { type: "json" };
import { z } from "zod";
import { CalendarDate } from "./calendar-date.js";
import type { CalendarSource } from "./calendar-source.js";

/**
 * The shape of chinese-days' data file (`{ "2026-02-15": "Spring Festival,春节,4", … }`), parsed because it
 * is a third-party file: an upgrade that changes it must fail here, not skew deadlines.
 */
export const ChineseDaysData = z.object({
  holidays: z.record(CalendarDate, z.string()),
  workdays: z.record(CalendarDate, z.string()),
});
export type ChineseDaysData = z.infer<typeof ChineseDaysData>;

/**
 * The statutory calendar from the chinese-days package (years 2004–2026 in version 1.5.7).
 *
 * @example
 * const calendar = createWorkingCalendar({ base: loadChineseDaysSource() });
 */
export function loadChineseDaysSource(raw: unknown = data): CalendarSource {
  const parsed = ChineseDaysData.parse(raw);
  const holidays = new Set(Object.keys(parsed.holidays));
  // Every notice since 1999 gives New Year's Day off, so a year is covered exactly when it has a holiday.
  const years = new Set([...holidays].map((date) => Number(date.slice(0, 4))));
  return { years, holidays, workingDays: new Set(Object.keys(parsed.workdays)) };
}
