import { z } from "zod";
import { InvalidCalendarDate } from "./errors.js";

const MS_PER_DAY = 86_400_000;

/**
 * A civil date on the China calendar, `YYYY-MM-DD`, with no time and no zone. All arithmetic on it is done on
 * UTC day numbers, so the host's time zone can never shift a day (chinese-days' own API does: it formats a
 * UTC-midnight `Date` in host-local time, which is the previous day west of Greenwich).
 */
export const CalendarDate = z
  .string()
  // Years below 1000 are refused: `Date.UTC` maps years 0–99 to 1900–1999.
  .regex(/^[1-9]\d{3}-\d{2}-\d{2}$/, "expected a date as YYYY-MM-DD")
  .refine(isRealDate, "not a real calendar date");
export type CalendarDate = z.infer<typeof CalendarDate>;

/** A civil date, or an instant that is read on the Shanghai wall clock (see {@link shanghaiDateOf}). */
export type DayInput = CalendarDate | Date;

// Built once: constructing an Intl formatter costs far more than formatting with it.
const shanghaiDay = new Intl.DateTimeFormat("en-US", {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/**
 * The date an instant falls on in China (Asia/Shanghai), whatever the host's time zone.
 *
 * @example
 * shanghaiDateOf(new Date("2026-02-13T16:30:00Z")); // "2026-02-14" — 00:30 in Beijing
 */
export function shanghaiDateOf(instant: Date): CalendarDate {
  if (Number.isNaN(instant.getTime())) throw new InvalidCalendarDate(String(instant), "invalid Date");
  const parts = new Map(shanghaiDay.formatToParts(instant).map((part) => [part.type, part.value]));
  return toCalendarDate(`${parts.get("year")}-${parts.get("month")}-${parts.get("day")}`);
}

/**
 * Validates a `YYYY-MM-DD` string, or converts an instant to its Shanghai date.
 *
 * @example
 * toCalendarDate("2026-02-14"); // "2026-02-14"
 * toCalendarDate("2026-02-30"); // throws InvalidCalendarDate
 */
export function toCalendarDate(day: DayInput | string): CalendarDate {
  if (day instanceof Date) return shanghaiDateOf(day);
  const result = CalendarDate.safeParse(day);
  if (!result.success) throw new InvalidCalendarDate(day, result.error.issues[0]?.message ?? "invalid");
  return result.data;
}

/** Days since 1970-01-01 for a date already shaped `YYYY-MM-DD` (not range-checked). */
export function epochDayOf(date: string): number {
  const [year = Number.NaN, month = Number.NaN, day = Number.NaN] = date.split("-").map(Number);
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

/** The date of a day number; refuses results outside the four-digit years a `CalendarDate` can hold. */
export function fromEpochDay(epochDay: number): CalendarDate {
  const date = new Date(epochDay * MS_PER_DAY);
  const year = date.getUTCFullYear();
  if (!Number.isInteger(epochDay) || !(year >= 1000 && year <= 9999)) {
    throw new RangeError(`day ${epochDay} is outside the years 1000–9999`);
  }
  return date.toISOString().slice(0, 10);
}

/** True when the date round-trips through UTC, which rules out 2026-02-30 and 2026-13-01. */
function isRealDate(text: string): boolean {
  const date = new Date(epochDayOf(text) * MS_PER_DAY);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** 0 = Sunday … 6 = Saturday, computed in UTC so the host zone cannot move it. */
export function weekdayOf(epochDay: number): number {
  return new Date(epochDay * MS_PER_DAY).getUTCDay();
}
