import { describe, expect, it, vi } from "vitest";
import { type CalendarYearMissing, createWorkingCalendar, loadChineseDaysSource } from "../calendar/index.js";
import { createDeadlineClock, defaultDeadlinePolicy, memoizeDeadlineClock } from "./deadline-clock.js";

const calendar = createWorkingCalendar({ base: loadChineseDaysSource() });
const clock = createDeadlineClock({ calendar, policy: defaultDeadlinePolicy });
/** 10:00 in Beijing on a given day. */
const at = (day: string) => new Date(`${day}T10:00:00+08:00`);

describe("deadline clock", () => {
  it("counts acceptance across the 2026 Spring Festival and its make-up Saturdays", () => {
    // 2026-02-14 (Sat) and 2026-02-28 (Sat) are make-up working days; 02-15…02-23 are off.
    const due = clock.accept({ from: at("2026-02-13"), channel: "hotline" });
    expect(due.dueOn).toBe("2026-02-27");
    expect(due.dueAt?.toISOString()).toBe("2026-02-27T16:00:00.000Z");
    expect(due.remindAt?.toISOString()).toBe("2026-02-25T16:00:00.000Z");
  });

  it("counts across National Day 2026 and gives media exposures one working day", () => {
    // 2026-10-01…10-07 off; 2026-09-20 (Sun) and 10-10 (Sat) are make-up working days.
    expect(clock.accept({ from: at("2026-09-30"), channel: "hotline" }).dueOn).toBe("2026-10-13");
    const media = clock.accept({ from: at("2026-09-30"), channel: "media" });
    expect(media.dueOn).toBe("2026-10-08");
    expect(media.remindAt?.toISOString()).toBe("2026-10-07T16:00:00.000Z");
  });

  it("reminds on the due day itself when the reminder day would fall on the day the clock starts", () => {
    const media = clock.accept({ from: at("2026-03-02"), channel: "media" });
    expect(media.dueOn).toBe("2026-03-03");
    expect(media.remindAt?.toISOString()).toBe("2026-03-02T16:00:00.000Z");
  });

  it("gives service complaints 7 calendar days, 15 when complex", () => {
    expect(clock.serviceConclude({ from: at("2026-09-28"), complex: false }).dueOn).toBe("2026-10-05");
    expect(clock.serviceConclude({ from: at("2026-09-28"), complex: true }).dueOn).toBe("2026-10-13");
  });

  it("owes a real-name reporter notices 15 working days out", () => {
    // 02-14 (make-up Saturday) is the 1st, 02-28 (make-up Saturday) the 6th, 03-12 the 15th.
    expect(clock.acceptanceNotice({ receivedAt: at("2026-02-13") }).dueOn).toBe("2026-03-12");
    // 10-01…10-07 off, 10-10 (make-up Saturday) the 6th, 10-22 the 15th.
    expect(clock.resultNotice({ concludedAt: at("2026-09-25") }).dueOn).toBe("2026-10-22");
  });

  it("leaves a clock that needs a missing year calendar-pending with its start, never guessing Monday–Friday", () => {
    const onMissingYear = vi.fn<(error: CalendarYearMissing) => void>();
    const pending = createDeadlineClock({ calendar, policy: defaultDeadlinePolicy, onMissingYear });
    const from = at("2026-12-20");
    expect(pending.acceptanceNotice({ receivedAt: from })).toEqual({
      start: { from, days: 15, unit: "working-days" },
      missingYear: 2027,
      dueOn: null,
      dueAt: null,
      remindAt: null,
    });
    expect(onMissingYear).toHaveBeenCalledWith(expect.objectContaining({ name: "CalendarYearMissing", year: 2027 }));
  });

  it("keeps a calendar-day clock's due date when only its reminder day needs the missing year", () => {
    // Seven calendar days from 2026-12-28 is 2027-01-04; the working day before it is unknown.
    const due = clock.serviceConclude({ from: at("2026-12-28"), complex: false });
    expect(due).toMatchObject({ missingYear: 2027, dueOn: "2027-01-04", remindAt: null });
    expect(due.dueAt?.toISOString()).toBe("2027-01-04T16:00:00.000Z");
  });

  it("computes a pending clock from its start once the calendar has the year", () => {
    const start = { from: at("2025-12-29"), days: 5, unit: "working-days" } as const;
    const without2026 = createWorkingCalendar({
      base: { ...loadChineseDaysSource(), years: new Set([...loadChineseDaysSource().years].filter((y) => y !== 2026)) },
    });
    expect(createDeadlineClock({ calendar: without2026, policy: defaultDeadlinePolicy }).compute(start).missingYear).toBe(2026);
    // 12-30, 12-31, then 2026-01-01…01-03 off (元旦), 01-04 a make-up Sunday, 01-05, 01-06.
    expect(clock.compute(start)).toMatchObject({ missingYear: null, dueOn: "2026-01-06" });
  });

  it("answers from memory within a batch, the same as the clock", () => {
    const counted = { ...clock, compute: vi.fn(clock.compute) };
    const batch = memoizeDeadlineClock(counted);
    const from = at("2026-02-13");
    expect(batch.accept({ from, channel: "hotline" })).toEqual(clock.accept({ from, channel: "hotline" }));
    expect(batch.accept({ from, channel: "intake" })).toEqual(clock.accept({ from, channel: "hotline" }));
    expect(batch.accept({ from, channel: "media" })).toEqual(clock.accept({ from, channel: "media" }));
    expect(counted.compute).toHaveBeenCalledTimes(2);
  });
});
