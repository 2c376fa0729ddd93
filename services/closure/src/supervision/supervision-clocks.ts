import type { CalendarDate } from "../calendar/index.js";
import { type DeadlineClock, type Due, startOfShanghaiDay } from "../deadlines/deadline-clock.js";
import type { ClosureDirectory } from "../directory.js";

/**
 * What the deadline scan needs to make supervision orders work: each order's answer clock, and the leader an
 * unanswered one escalates to. Read from the directory in force at each turn, so an operator's edit of
 * `leaders` or `supervisionAnswerWorkingDays` applies to the next orders without a restart.
 */
export interface SupervisionClocks {
  /** The answer clock of an order issued at `issuedAt` (DESIGN §7, `policy.supervisionAnswerWorkingDays`). */
  answerDue(issuedAt: Date): Due;
  /** The leader (包抓领导) overseeing the unit, or null. */
  leaderOf(unitId: string): string | null;
}

/**
 * @example
 * const supervision = createSupervisionClocks({ deadlines, directory: holder.current });
 * supervision.answerDue(new Date("2026-02-12T02:00:00Z")).dueOn; // "2026-02-26": 2-14 is a make-up Saturday
 */
export function createSupervisionClocks(options: {
  deadlines: DeadlineClock;
  directory: () => ClosureDirectory;
}): SupervisionClocks {
  return {
    answerDue: (issuedAt) =>
      options.deadlines.compute({
        from: issuedAt,
        days: options.directory().supervisionAnswerWorkingDays,
        unit: "working-days",
      }),
    leaderOf: (unitId) => options.directory().leaderOf(unitId),
  };
}

/**
 * A clock moved by a granted extension (延期申请): `workingDays` working days after its current due day, counted
 * on the statutory calendar (make-up working weekends count, holidays do not); the reminder follows the new date.
 *
 * @example
 * extendedDue(deadlines, { dueOn: "2026-02-13", workingDays: 1 }).dueOn; // "2026-02-14", a make-up Saturday
 */
export function extendedDue(deadlines: DeadlineClock, options: { dueOn: CalendarDate; workingDays: number }): Due {
  return deadlines.compute({ from: startOfShanghaiDay(options.dueOn), days: options.workingDays, unit: "working-days" });
}
