import type { Disposition } from "@clueline/contracts";
import { type CalendarDate, shanghaiDateOf } from "../calendar/index.js";
import type { ClockStart } from "./deadline-clock.js";

/**
 * The discipline clocks of DESIGN §7, as starts for `DeadlineClock.compute`. Their periods come from the
 * directory's `policy` (DESIGN §5) and are counted in calendar days, as DESIGN writes them ("30 days", like the
 * service conclusion clock) and unlike the statutory working-day clocks of the table.
 */
export interface DisciplinePolicy {
  /** A disposal is due within this many days of acceptance. */
  disciplineDisposalDays: number;
  /** The conclusion is due within this many days of the disposal, per way of handling. */
  disciplineConclusionDays: { "talk-or-letter": number; "preliminary-check": number };
}

/** DESIGN §5's periods, for a ledger given no directory. */
export const defaultDisciplinePolicy: DisciplinePolicy = {
  disciplineDisposalDays: 30,
  disciplineConclusionDays: { "talk-or-letter": 30, "preliminary-check": 90 },
};

/** The longest a clue may be held (暂存待查) before it is reviewed. */
export const maxHoldDays = 366;

/** The disposal clock: it starts when a discipline lead accepts its assignment. */
export function disposalStart(policy: DisciplinePolicy, acceptedAt: Date): ClockStart {
  return { from: acceptedAt, days: policy.disciplineDisposalDays, unit: "calendar-days" };
}

/**
 * The conclusion clock a disposal starts: 谈话函询 and 初步核实 (also under its older name) have one; `hold` has
 * a review clock instead ({@link reviewStart}), `close` none, and `handling` is the service track's.
 */
export function conclusionStart(policy: DisciplinePolicy, disposition: Disposition, disposedAt: Date): ClockStart | null {
  const way = disposition === "preliminary-verification" ? "preliminary-check" : disposition;
  if (way !== "talk-or-letter" && way !== "preliminary-check") return null;
  return { from: disposedAt, days: policy.disciplineConclusionDays[way], unit: "calendar-days" };
}

/** Why a review date cannot hold a clue, or null when it can. */
export function reviewDateProblem(reviewOn: CalendarDate, now: Date): string | null {
  const days = daysBetween(shanghaiDateOf(now), reviewOn);
  if (days < 1) return "a held clue's review date is after today (Beijing time)";
  if (days > maxHoldDays) return `a held clue is reviewed within ${maxHoldDays} days`;
  return null;
}

/**
 * The review clock of a held clue (暂存待查): the disposal clock stops, and this one reminds before the review date
 * and goes overdue after it; on review the unit disposes again. Throws when {@link reviewDateProblem} finds one.
 */
export function reviewStart(reviewOn: CalendarDate, now: Date): ClockStart {
  const problem = reviewDateProblem(reviewOn, now);
  if (problem !== null) throw new RangeError(problem);
  return { from: now, days: daysBetween(shanghaiDateOf(now), reviewOn), unit: "calendar-days" };
}

function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
