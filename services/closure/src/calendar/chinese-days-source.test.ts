import { describe, expect, it } from "vitest";
import { epochDayOf, fromEpochDay } from "./calendar-date.js";
import { loadChineseDaysSource } from "./chinese-days-source.js";
import { createWorkingCalendar } from "./working-calendar.js";

// 国务院办公厅关于2026年部分节假日安排的通知 (4 November 2025), transcribed from its text: the reference
// chinese-days must match day by day. When chinese-days is upgraded, this test guards the year in force.
const notice2026 = {
  breaks: [
    ["2026-01-01", "2026-01-03"], // 元旦
    ["2026-02-15", "2026-02-23"], // 春节
    ["2026-04-04", "2026-04-06"], // 清明节
    ["2026-05-01", "2026-05-05"], // 劳动节
    ["2026-06-19", "2026-06-21"], // 端午节
    ["2026-09-25", "2026-09-27"], // 中秋节
    ["2026-10-01", "2026-10-07"], // 国庆节
  ],
  workingDays: ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
} as const;

function daysFrom(first: string, last: string): string[] {
  const days: string[] = [];
  for (let day = epochDayOf(first); day <= epochDayOf(last); day += 1) days.push(fromEpochDay(day));
  return days;
}

describe("loadChineseDaysSource", () => {
  const source = loadChineseDaysSource();
  const noticeHolidays = notice2026.breaks.flatMap(([first, last]) => daysFrom(first, last));

  it("covers 2004–2026 and nothing else", () => {
    expect([...source.years].sort()).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
  });

  it("lists exactly the 2026 days off and make-up working days of the State Council notice", () => {
    expect([...source.holidays].filter((d) => d.startsWith("2026-")).sort()).toEqual(noticeHolidays);
    expect([...source.workingDays].filter((d) => d.startsWith("2026-")).sort()).toEqual([...notice2026.workingDays]);
  });

  it("agrees with the notice on every day of 2026", () => {
    const fromNotice = createWorkingCalendar({
      base: { years: new Set([2026]), holidays: new Set(noticeHolidays), workingDays: new Set(notice2026.workingDays) },
    });
    const fromLibrary = createWorkingCalendar({ base: source });
    const disagreements = daysFrom("2026-01-01", "2026-12-31").filter(
      (day) => fromNotice.isWorkingDay(day) !== fromLibrary.isWorkingDay(day),
    );
    expect(disagreements).toEqual([]);
  });

  it("refuses data whose shape changed", () => {
    expect(() => loadChineseDaysSource({ holidays: { "2026-1-1": "x" }, workdays: {} })).toThrow();
    expect(() => loadChineseDaysSource({ holidays: {} })).toThrow();
  });
});
