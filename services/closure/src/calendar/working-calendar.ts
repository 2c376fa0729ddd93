import { type CalendarDate, type DayInput, epochDayOf, fromEpochDay, toCalendarDate, weekdayOf } from "./calendar-date.js";
import type { CalendarSource } from "./calendar-source.js";
import { CalendarYearMissing } from "./errors.js";
import type { LocalCalendar } from "./local-calendar.js";

/** Working-day arithmetic on the Chinese statutory calendar; every day is a Shanghai civil date. */
export type WorkingCalendar = {
  /** Whether a day is a working day. Throws {@link CalendarYearMissing} for a year with no data. */
  isWorkingDay(day: DayInput): boolean;
  /** The n-th working day after `from` (`from` itself never counts); n < 0 counts back, 0 returns `from`. */
  addWorkingDays(from: DayInput, n: number): CalendarDate;
  /** `from` plus n calendar days, for clocks in calendar days (e.g. 7 days to conclude a complaint). */
  addCalendarDays(from: DayInput, n: number): CalendarDate;
  /** Working days in (from, to]; negative, counting [to, from), when `to` is earlier. Inverts addWorkingDays. */
  workingDaysBetween(from: DayInput, to: DayInput): number;
  /** Whether a year is described, e.g. to warn operators in December that next year is still missing. */
  hasYear(year: number): boolean;
};

export type WorkingCalendarOptions = {
  /** The statutory calendar, normally {@link loadChineseDaysSource}. */
  base: CalendarSource;
  /** The operator file; its days win over `base`, and its complete years extend it. */
  overrides?: LocalCalendar;
};

/**
 * Builds the working-day calendar. Years are checked lazily, day by day, so a deadline inside a covered year
 * works even while later years are missing.
 *
 * @example
 * const calendar = createWorkingCalendar({ base: loadChineseDaysSource(), overrides });
 * calendar.addWorkingDays("2026-02-13", 5); // "2026-02-27": 2-14 is a make-up Saturday, 2-15…2-23 are off
 */
export function createWorkingCalendar({ base, overrides }: WorkingCalendarOptions): WorkingCalendar {
  const local = flatten(overrides);

  function isWorkingEpochDay(epochDay: number): boolean {
    const date = fromEpochDay(epochDay);
    const year = Number(date.slice(0, 4));
    if (!hasYear(year)) throw new CalendarYearMissing({ year, listedButIncomplete: local.listedYears.has(year) });
    if (local.holidays.has(date)) return false;
    if (local.workingDays.has(date)) return true;
    if (base.holidays.has(date)) return false;
    if (base.workingDays.has(date)) return true;
    const weekday = weekdayOf(epochDay);
    return weekday !== 0 && weekday !== 6;
  }

  function hasYear(year: number): boolean {
    return base.years.has(year) || local.completeYears.has(year);
  }

  function isWorkingDay(day: DayInput): boolean {
    return isWorkingEpochDay(epochDayOf(toCalendarDate(day)));
  }

  function addWorkingDays(from: DayInput, n: number): CalendarDate {
    assertDayCount(n);
    let epochDay = epochDayOf(toCalendarDate(from));
    // Terminates: finitely many years are covered, and stepping into the first uncovered one throws.
    for (let left = Math.abs(n); left > 0; ) {
      epochDay += Math.sign(n);
      if (isWorkingEpochDay(epochDay)) left -= 1;
    }
    return fromEpochDay(epochDay);
  }

  function addCalendarDays(from: DayInput, n: number): CalendarDate {
    assertDayCount(n);
    return fromEpochDay(epochDayOf(toCalendarDate(from)) + n);
  }

  function workingDaysBetween(from: DayInput, to: DayInput): number {
    const start = epochDayOf(toCalendarDate(from));
    const end = epochDayOf(toCalendarDate(to));
    const [low, high, sign] = end >= start ? [start + 1, end, 1] : [end, start - 1, -1];
    let count = 0;
    for (let epochDay = low; epochDay <= high; epochDay += 1) if (isWorkingEpochDay(epochDay)) count += 1;
    return sign * count;
  }

  return { isWorkingDay, addWorkingDays, addCalendarDays, workingDaysBetween, hasYear };
}

function assertDayCount(n: number): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`day count must be an integer, got ${n}`);
}

function flatten(overrides: LocalCalendar | undefined) {
  const years = Object.entries(overrides?.years ?? {});
  return {
    holidays: new Set(years.flatMap(([, entry]) => Object.keys(entry.holidays))),
    workingDays: new Set(years.flatMap(([, entry]) => Object.keys(entry.workingDays))),
    completeYears: new Set(years.filter(([, entry]) => entry.complete).map(([year]) => Number(year))),
    listedYears: new Set(years.map(([year]) => Number(year))),
  };
}
