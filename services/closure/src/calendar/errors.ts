/**
 * Errors of the working-day calendar. Callers decide with `instanceof`, never by message text: a missing year
 * is an operator's job (add the year), an invalid file or date is a caller's mistake.
 */

/** A reason tied to a place in the operator file, e.g. `years.2027.holidays.2027-02-30`. */
export type CalendarFileIssue = { path: string; reason: string };

/**
 * A deadline needs a year that neither chinese-days nor the operator file describes. Counting it as plain
 * Monday–Friday would silently move due dates across an unknown Spring Festival, so we refuse instead.
 */
export class CalendarYearMissing extends Error {
  override readonly name = "CalendarYearMissing";
  readonly year: number;
  constructor(options: { year: number; listedButIncomplete?: boolean }) {
    const { year } = options;
    const partial = options.listedButIncomplete
      ? ` The operator file lists days in ${year} but does not declare the year "complete: true".`
      : "";
    super(
      `No working-day calendar for ${year}: chinese-days does not cover it and the operator file does not declare it complete.${partial} ` +
        `Add ${year}'s holidays and make-up working days from the State Council notice to the operator file ` +
        `(services/closure/calendar/local.yaml) with "complete: true", or upgrade chinese-days.`,
    );
    this.year = year;
  }
}

/** The operator file cannot be used; every problem is listed so the operator fixes the file in one go. */
export class CalendarFileInvalid extends Error {
  override readonly name = "CalendarFileInvalid";
  readonly source: string;
  readonly issues: readonly CalendarFileIssue[];
  constructor(options: { source: string; issues: CalendarFileIssue[]; cause?: unknown }) {
    const lines = options.issues.map((issue) => `  ${issue.path}: ${issue.reason}`).join("\n");
    super(`calendar file ${options.source} is invalid:\n${lines}`, { cause: options.cause });
    this.source = options.source;
    this.issues = options.issues;
  }
}

/** A day given to the calendar is not a `YYYY-MM-DD` date (or a valid `Date` instant). */
export class InvalidCalendarDate extends RangeError {
  override readonly name = "InvalidCalendarDate";
  readonly input: string;
  constructor(input: string, reason: string) {
    super(`${JSON.stringify(input)} is not a calendar day: ${reason}`);
    this.input = input;
  }
}
