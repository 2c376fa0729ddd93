import type { CalendarDate } from "./calendar-date.js";

/**
 * Statutory calendar data for whole years. A covered year is Monday–Friday except the listed days off, plus
 * the listed make-up working days; a year not in `years` is unknown and is refused, never guessed.
 */
export type CalendarSource = {
  /** Years whose arrangement is fully known (one State Council notice each). */
  readonly years: ReadonlySet<number>;
  /** Days off (放假), including the weekend days inside a break. */
  readonly holidays: ReadonlySet<CalendarDate>;
  /** Make-up working days (调休上班), usually a Saturday or Sunday next to a break. */
  readonly workingDays: ReadonlySet<CalendarDate>;
};
