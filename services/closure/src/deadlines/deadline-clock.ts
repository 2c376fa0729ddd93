import { RetryableOutage } from "@clueline/contracts/errors";
import { type CalendarDate, CalendarYearMissing, shanghaiDateOf, type WorkingCalendar } from "../calendar/index.js";

/** The clocks of DESIGN §7, each configurable; defaults are the statutory ones. */
export interface DeadlinePolicy {
  /** Accept or transfer after assignment (2020 rules on handling reports, art. 15–16). */
  acceptWorkingDays: number;
  /** Accept a media exposure (local practice). */
  mediaAcceptWorkingDays: number;
  /** Acceptance notice to a real-name reporter, from receipt. */
  acceptanceNoticeWorkingDays: number;
  /** Result to a real-name reporter, from the clue's conclusion. */
  resultNoticeWorkingDays: number;
  /** Conclude a service complaint, in calendar days (Beijing 12345 service standard). */
  serviceConcludeDays: number;
  /** The same for a complaint the handling unit marked complex. */
  serviceComplexConcludeDays: number;
  /** A reminder fires this many working days before the due date. */
  remindWorkingDaysBefore: number;
}

export const defaultDeadlinePolicy: DeadlinePolicy = {
  acceptWorkingDays: 5,
  mediaAcceptWorkingDays: 1,
  acceptanceNoticeWorkingDays: 15,
  resultNoticeWorkingDays: 15,
  serviceConcludeDays: 7,
  serviceComplexConcludeDays: 15,
  remindWorkingDaysBefore: 1,
};

/** A due date and the two instants the scan acts on. */
export interface Due {
  /** Due by the end of this Shanghai day. */
  dueOn: CalendarDate;
  /** The first instant after the due day: overdue from here on. */
  dueAt: Date;
  /** When the reminder fires: the start of the reminder day, never before the clock started. */
  remindAt: Date;
}

/** Midnight at the start of a Shanghai day (China has kept UTC+8 all year since 1991). */
export function startOfShanghaiDay(day: CalendarDate): Date {
  return new Date(`${day}T00:00:00+08:00`);
}

/**
 * Turns the policy into due dates on the working-day calendar. A year the calendar lacks is an outage for
 * the caller (retry after the operator adds it), never a silent Monday-to-Friday guess.
 *
 * @example
 * const clock = createDeadlineClock({ calendar, policy: defaultDeadlinePolicy });
 * clock.accept({ from: new Date("2026-02-13T02:00:00Z"), channel: "hotline" }).dueOn; // "2026-02-27"
 */
export function createDeadlineClock(options: { calendar: WorkingCalendar; policy: DeadlinePolicy }) {
  const { calendar, policy } = options;

  function due(from: Date, dueOn: CalendarDate): Due {
    const startDay = shanghaiDateOf(from);
    let remindOn = calendar.addWorkingDays(dueOn, -policy.remindWorkingDaysBefore);
    if (remindOn <= startDay) remindOn = dueOn <= startDay ? startDay : dueOn;
    const remindAt = remindOn === startDay ? from : startOfShanghaiDay(remindOn);
    return { dueOn, dueAt: startOfShanghaiDay(calendar.addCalendarDays(dueOn, 1)), remindAt };
  }

  function guarded<A extends unknown[]>(compute: (...args: A) => Due): (...args: A) => Due {
    return (...args) => {
      try {
        return compute(...args);
      } catch (error) {
        if (error instanceof CalendarYearMissing) {
          throw new RetryableOutage("working-day calendar", { cause: error, message: error.message });
        }
        throw error;
      }
    };
  }

  return {
    policy,
    accept: guarded((o: { from: Date; channel: "hotline" | "intake" | "media" }) => {
      const days = o.channel === "media" ? policy.mediaAcceptWorkingDays : policy.acceptWorkingDays;
      return due(o.from, calendar.addWorkingDays(o.from, days));
    }),
    serviceConclude: guarded((o: { from: Date; complex: boolean }) => {
      const days = o.complex ? policy.serviceComplexConcludeDays : policy.serviceConcludeDays;
      return due(o.from, calendar.addCalendarDays(o.from, days));
    }),
    acceptanceNotice: guarded((o: { receivedAt: Date }) =>
      due(o.receivedAt, calendar.addWorkingDays(o.receivedAt, policy.acceptanceNoticeWorkingDays)),
    ),
    resultNotice: guarded((o: { concludedAt: Date }) =>
      due(o.concludedAt, calendar.addWorkingDays(o.concludedAt, policy.resultNoticeWorkingDays)),
    ),
  };
}

export type DeadlineClock = ReturnType<typeof createDeadlineClock>;
