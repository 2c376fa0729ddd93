import { describe, expect, it } from "vitest";
import { loadChineseDaysSource } from "./chinese-days-source.js";
import { CalendarYearMissing, InvalidCalendarDate } from "./errors.js";
import { parseLocalCalendar } from "./local-calendar.js";
import { createWorkingCalendar } from "./working-calendar.js";

const base = loadChineseDaysSource();
const calendar = createWorkingCalendar({ base });
const withFile = (yaml: string) => createWorkingCalendar({ base, overrides: parseLocalCalendar(yaml, "test.yaml") });

describe("2026 Spring Festival (2-15…2-23 off; Saturdays 2-14 and 2-28 worked)", () => {
  it("counts make-up Saturdays but not normal Saturdays", () => {
    expect(calendar.isWorkingDay("2026-02-14")).toBe(true);
    expect(calendar.isWorkingDay("2026-02-28")).toBe(true);
    expect(calendar.isWorkingDay("2026-03-07")).toBe(false);
    expect(calendar.isWorkingDay("2026-02-16")).toBe(false); // a Monday inside the break
    expect(calendar.addWorkingDays("2026-03-06", 1)).toBe("2026-03-09");
  });

  it("from the day before the break, 5 working days end on the make-up Saturday", () => {
    expect(calendar.addWorkingDays("2026-02-14", 5)).toBe("2026-02-28");
  });

  it("from the Friday before, the make-up Saturday is the first working day", () => {
    expect(calendar.addWorkingDays("2026-02-13", 1)).toBe("2026-02-14");
    expect(calendar.addWorkingDays("2026-02-13", 5)).toBe("2026-02-27");
    expect(calendar.workingDaysBetween("2026-02-13", "2026-02-27")).toBe(5);
  });
});

describe("2026 National Day (10-1…10-7 off; Sunday 9-20 and Saturday 10-10 worked)", () => {
  it("skips the break and counts both make-up days", () => {
    expect(calendar.addWorkingDays("2026-09-18", 1)).toBe("2026-09-20");
    expect(calendar.addWorkingDays("2026-09-30", 1)).toBe("2026-10-08");
    expect(calendar.addWorkingDays("2026-09-30", 5)).toBe("2026-10-13");
  });
});

describe("New Year and the 2025→2026 boundary (2026-1-1…1-3 off; Sunday 1-4 worked)", () => {
  it("crosses the year into the make-up Sunday", () => {
    expect(calendar.addWorkingDays("2025-12-31", 1)).toBe("2026-01-04");
    expect(calendar.addWorkingDays("2025-12-30", 2)).toBe("2026-01-04");
    expect(calendar.workingDaysBetween("2025-12-30", "2026-01-05")).toBe(3);
    expect(calendar.addWorkingDays("2026-01-05", -1)).toBe("2026-01-04");
  });

  it("adds calendar days without regard to holidays", () => {
    expect(calendar.addCalendarDays("2025-12-28", 7)).toBe("2026-01-04");
  });
});

describe("instants", () => {
  it("are read as Shanghai dates", () => {
    // Friday 2026-03-06 in UTC, Saturday 00:30 in Beijing.
    expect(calendar.isWorkingDay(new Date("2026-03-06T16:30:00Z"))).toBe(false);
    // Saturday 2026-02-14 01:00 in Beijing: the count starts after the make-up Saturday.
    expect(calendar.addWorkingDays(new Date("2026-02-13T17:00:00Z"), 1)).toBe("2026-02-24");
  });

  it("and bad inputs are refused", () => {
    expect(() => calendar.isWorkingDay("2026-02-30")).toThrow(InvalidCalendarDate);
    expect(() => calendar.addWorkingDays("2026-02-13", 1.5)).toThrow(RangeError);
  });
});

describe("a year with no data", () => {
  it("raises CalendarYearMissing instead of assuming Monday–Friday", () => {
    const nextDay = () => calendar.addWorkingDays("2026-12-31", 1);
    expect(nextDay).toThrow(CalendarYearMissing);
    expect(nextDay).toThrow(expect.objectContaining({ name: "CalendarYearMissing", year: 2027 }));
    expect(() => calendar.isWorkingDay("2003-06-02")).toThrow(CalendarYearMissing);
    expect(() => calendar.workingDaysBetween("2026-12-30", "2027-01-05")).toThrow(CalendarYearMissing);
    expect(calendar.hasYear(2027)).toBe(false);
  });

  it("is still missing when the operator lists days without declaring the year complete", () => {
    const partial = withFile("years:\n  2027:\n    holidays:\n      2027-01-01: 元旦\n");
    expect(() => partial.addWorkingDays("2026-12-31", 1)).toThrow(/does not declare the year "complete: true"/);
  });
});

describe("the operator file", () => {
  it("adds a local day off", () => {
    const local = withFile("years:\n  2026:\n    holidays:\n      2026-03-09: 区防汛停工通知\n");
    expect(local.addWorkingDays("2026-03-06", 1)).toBe("2026-03-10");
  });

  it("overrides a statutory day off and a statutory make-up day", () => {
    const local = withFile(
      "years:\n  2026:\n    workingDays:\n      2026-10-07: 本区值班\n    holidays:\n      2026-02-28: 本区不调休\n",
    );
    expect(local.addWorkingDays("2026-09-30", 1)).toBe("2026-10-07");
    expect(local.addWorkingDays("2026-02-14", 5)).toBe("2026-03-02");
  });

  it("supplies a year the library lacks once declared complete", () => {
    const local = withFile("years:\n  2027:\n    complete: true\n    holidays:\n      2027-01-01: 元旦\n");
    expect(local.hasYear(2027)).toBe(true);
    expect(local.addWorkingDays("2026-12-31", 1)).toBe("2027-01-04");
  });
});
