import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { epochDayOf, fromEpochDay } from "./calendar-date.js";
import { loadChineseDaysSource } from "./chinese-days-source.js";
import { LocalCalendar } from "./local-calendar.js";
import { createWorkingCalendar } from "./working-calendar.js";

const base = loadChineseDaysSource();
// Starts leave room for 60 working days either way without stepping into 2003 or 2027, which have no data.
const dayIn = (first: string, last: string) => fc.integer({ min: epochDayOf(first), max: epochDayOf(last) }).map(fromEpochDay);
const from = dayIn("2004-06-01", "2026-08-31");
const count = fc.integer({ min: 1, max: 60 });

// Random local changes in 2026, so the properties hold for any operator file, not only for the library.
const localDays = fc.uniqueArray(dayIn("2026-01-01", "2026-12-31"), { maxLength: 30 });
const overrides = fc.tuple(localDays, localDays).map(([holidays, working]) =>
  LocalCalendar.parse({
    years: {
      2026: {
        holidays: Object.fromEntries(holidays.map((d) => [d, "local"])),
        workingDays: Object.fromEntries(working.filter((d) => !holidays.includes(d)).map((d) => [d, "local"])),
      },
    },
  }),
);
const calendars = fc.option(overrides, { nil: undefined }).map((file) => createWorkingCalendar({ base, overrides: file }));

describe("addWorkingDays / workingDaysBetween properties", () => {
  it("lands on a working day strictly after from", () => {
    fc.assert(
      fc.property(calendars, from, count, (calendar, start, n) => {
        const due = calendar.addWorkingDays(start, n);
        expect(calendar.isWorkingDay(due)).toBe(true);
        expect(due > start).toBe(true);
      }),
    );
  });

  it("is strictly monotone in n", () => {
    fc.assert(
      fc.property(calendars, from, count, count, (calendar, start, a, b) => {
        fc.pre(a !== b);
        const [low, high] = a < b ? [a, b] : [b, a];
        expect(calendar.addWorkingDays(start, low) < calendar.addWorkingDays(start, high)).toBe(true);
      }),
    );
  });

  it("workingDaysBetween inverts addWorkingDays, forwards and backwards", () => {
    fc.assert(
      fc.property(calendars, from, count, (calendar, start, n) => {
        expect(calendar.workingDaysBetween(start, calendar.addWorkingDays(start, n))).toBe(n);
        expect(calendar.workingDaysBetween(start, calendar.addWorkingDays(start, -n))).toBe(-n);
      }),
    );
  });

  it("addWorkingDays inverts workingDaysBetween on working days", () => {
    fc.assert(
      fc.property(calendars, from, dayIn("2004-01-01", "2026-12-31"), (calendar, start, end) => {
        fc.pre(calendar.isWorkingDay(end));
        expect(calendar.addWorkingDays(start, calendar.workingDaysBetween(start, end))).toBe(end);
      }),
    );
  });
});
