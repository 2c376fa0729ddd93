import { RetryableOutage } from "@clueline/contracts/errors";
import { describe, expect, it } from "vitest";
import { createWorkingCalendar, loadChineseDaysSource } from "../calendar/index.js";
import { createDeadlineClock, defaultDeadlinePolicy } from "./deadline-clock.js";

const calendar = createWorkingCalendar({ base: loadChineseDaysSource() });
const clock = createDeadlineClock({ calendar, policy: defaultDeadlinePolicy });
/** 10:00 in Beijing on a given day. */
const at = (day: string) => new Date(`${day}T10:00:00+08:00`);

describe("deadline clock", () => {
  it("counts acceptance across the 2026 Spring Festival and its make-up Saturdays", () => {
    // 2026-02-14 (Sat) and 2026-02-28 (Sat) are make-up working days; 02-15…02-23 are off.
    const due = clock.accept({ from: at("2026-02-13"), channel: "hotline" });
    expect(due.dueOn).toBe("2026-02-27");
    expect(due.dueAt.toISOString()).toBe("2026-02-27T16:00:00.000Z");
    expect(due.remindAt.toISOString()).toBe("2026-02-25T16:00:00.000Z");
  });

  it("counts across National Day 2026 and gives media exposures one working day", () => {
    // 2026-10-01…10-07 off; 2026-09-20 (Sun) and 10-10 (Sat) are make-up working days.
    expect(clock.accept({ from: at("2026-09-30"), channel: "hotline" }).dueOn).toBe("2026-10-13");
    const media = clock.accept({ from: at("2026-09-30"), channel: "media" });
    expect(media.dueOn).toBe("2026-10-08");
    expect(media.remindAt.toISOString()).toBe("2026-10-07T16:00:00.000Z");
  });

  it("reminds on the due day itself when the reminder day would fall on the day the clock starts", () => {
    const media = clock.accept({ from: at("2026-03-02"), channel: "media" });
    expect(media.dueOn).toBe("2026-03-03");
    expect(media.remindAt.toISOString()).toBe("2026-03-02T16:00:00.000Z");
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

  it("turns a year without calendar data into a retryable outage naming the year", () => {
    expect(() => clock.acceptanceNotice({ receivedAt: at("2026-12-20") })).toThrow(RetryableOutage);
    expect(() => clock.acceptanceNotice({ receivedAt: at("2026-12-20") })).toThrow(/2027/);
  });
});
