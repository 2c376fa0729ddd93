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

/** What a clock counts from, and how far: kept with the clock so a due date the calendar cannot give yet is computed later. */
export interface ClockStart {
  from: Date;
  days: number;
  unit: "working-days" | "calendar-days";
}

/** A due date and the two instants the scan acts on. */
export interface ScheduledDue {
  start: ClockStart;
  missingYear: null;
  /** Due by the end of this Shanghai day. */
  dueOn: CalendarDate;
  /** The first instant after the due day: overdue from here on. */
  dueAt: Date;
  /** When the reminder fires: the start of the reminder day, never before the clock started. */
  remindAt: Date;
}

/**
 * A clock that needs a year the working-day calendar lacks. A working-day clock has no due date yet; a
 * calendar-day clock has one (its overdue still fires on time) but no reminder day, which counts working days.
 */
export interface CalendarPendingDue {
  start: ClockStart;
  missingYear: number;
  dueOn: CalendarDate | null;
  dueAt: Date | null;
  remindAt: null;
}

export type Due = ScheduledDue | CalendarPendingDue;

/** Midnight at the start of a Shanghai day (China has kept UTC+8 all year since 1991). */
export function startOfShanghaiDay(day: CalendarDate): Date {
  return new Date(`${day}T00:00:00+08:00`);
}

/**
 * Turns the policy into due dates on the working-day calendar. A year the calendar lacks is never guessed as
 * Monday to Friday: the clock comes back calendar-pending, `onMissingYear` is told (to report it loudly), and
 * {@link DeadlineClock.compute} gives the date from the same start once an operator has added the year.
 *
 * @example
 * const clock = createDeadlineClock({ calendar, policy: defaultDeadlinePolicy });
 * clock.accept({ from: new Date("2026-02-13T02:00:00Z"), channel: "hotline" }).dueOn; // "2026-02-27"
 */
export function createDeadlineClock(options: {
  calendar: WorkingCalendar;
  policy: DeadlinePolicy;
  onMissingYear?: (error: CalendarYearMissing) => void;
}) {
  const { calendar, policy } = options;
  const dayAfter = (day: CalendarDate) => startOfShanghaiDay(calendar.addCalendarDays(day, 1));

  function compute(start: ClockStart): Due {
    let dueOn: CalendarDate | null = null;
    try {
      dueOn =
        start.unit === "working-days"
          ? calendar.addWorkingDays(start.from, start.days)
          : calendar.addCalendarDays(start.from, start.days);
      const startDay = shanghaiDateOf(start.from);
      let remindOn = calendar.addWorkingDays(dueOn, -policy.remindWorkingDaysBefore);
      if (remindOn <= startDay) remindOn = dueOn <= startDay ? startDay : dueOn;
      const remindAt = remindOn === startDay ? start.from : startOfShanghaiDay(remindOn);
      return { start, missingYear: null, dueOn, dueAt: dayAfter(dueOn), remindAt };
    } catch (error) {
      if (!(error instanceof CalendarYearMissing)) throw error;
      options.onMissingYear?.(error);
      return { start, missingYear: error.year, dueOn, dueAt: dueOn === null ? null : dayAfter(dueOn), remindAt: null };
    }
  }

  return clockOver(policy, compute);
}

export type DeadlineClock = ReturnType<typeof createDeadlineClock>;

/**
 * The clock with each answer remembered, for one batch of routing decisions: they all start their accept and
 * conclude clocks at the same instant, and a working-day count costs ~20 µs. Never kept across batches, so an
 * operator's calendar edit is seen by the next one.
 */
export function memoizeDeadlineClock(clock: DeadlineClock): DeadlineClock {
  const answers = new Map<string, Due>();
  return clockOver(clock.policy, (start) => {
    const key = `${start.from.getTime()} ${start.days} ${start.unit}`;
    let due = answers.get(key);
    if (due === undefined) {
      due = clock.compute(start);
      answers.set(key, due);
    }
    return due;
  });
}

/** The clocks of DESIGN §7 as starts for `compute`. */
function clockOver(policy: DeadlinePolicy, compute: (start: ClockStart) => Due) {
  const working = (from: Date, days: number) => compute({ from, days, unit: "working-days" });
  return {
    policy,
    /** The due date of a clock from its start; how a calendar-pending clock is computed once its year is added. */
    compute,
    accept: (o: { from: Date; channel: "hotline" | "intake" | "media" }) =>
      working(o.from, o.channel === "media" ? policy.mediaAcceptWorkingDays : policy.acceptWorkingDays),
    serviceConclude: (o: { from: Date; complex: boolean }) =>
      compute({
        from: o.from,
        days: o.complex ? policy.serviceComplexConcludeDays : policy.serviceConcludeDays,
        unit: "calendar-days",
      }),
    acceptanceNotice: (o: { receivedAt: Date }) => working(o.receivedAt, policy.acceptanceNoticeWorkingDays),
    resultNotice: (o: { concludedAt: Date }) => working(o.concludedAt, policy.resultNoticeWorkingDays),
  };
}
