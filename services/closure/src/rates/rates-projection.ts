import type { AssignmentState } from "@clueline/contracts";
import { shanghaiDateOf } from "../calendar/index.js";
import type { LedgerEvent } from "../ledger/events/ledger-event.js";

/** A month as `YYYY-MM`, on the Shanghai calendar. */
export type Month = string;

/** A share with what it was computed from, so a reader can check it; `rate` is null when nothing was counted. */
export interface Share {
  numerator: number;
  denominator: number;
  rate: number | null;
}

export interface UnitRates {
  unitId: string;
  month: Month;
  response: Share;
  resolution: Share;
  satisfaction: Share;
}

interface AssignmentFacts {
  clueId: string;
  unitId: string;
  role: "lead" | "assist";
  assignedOn: string;
  /** Null while the accept clock waits for a year the working-day calendar lacks (see `deadline.scheduled`). */
  acceptDueOn: string | null;
  respondedOn: string | null;
  state: AssignmentState;
}

/** States of an assignment the unit accepted (受理) and has not given away since. */
const TAKEN_ON = new Set(["accepted", "in-progress", "concluded"]);

const share = (numerator: number, denominator: number): Share => ({
  numerator,
  denominator,
  rate: denominator === 0 ? null : Math.round((numerator / denominator) * 10_000) / 10_000,
});
const dayOf = (instant: string) => shanghaiDateOf(new Date(instant));

/**
 * The three rates (三率), folded from lifecycle events alone: closure computes its endpoints with this fold over
 * its own log, and a downstream system gets the same numbers by folding `clueline.clue.lifecycle.v1` (events
 * are idempotent by `ce_id`; apply each once, in topic order per clue). Definitions, per unit and Shanghai month M:
 *
 * - **Response rate** (响应率): of the unit's assignments (lead or assist) made in M that are decided — answered
 *   (accepted, rejected or transferred), or unanswered past their accept due date as of `asOf` — the share
 *   answered on or before the accept due date.
 * - **Resolution rate** (办结率): of the unit's lead assignments made in M that the unit accepted (受理; so not
 *   rejected, transferred or still unanswered), the share concluded as of `asOf` (a reopened assignment counts
 *   again only once concluded anew).
 * - **Satisfaction rate** (满意率): of the call-backs recorded in M on clues the unit led to conclusion,
 *   the share `satisfied` among `satisfied` and `dissatisfied` (an unreachable reporter counts in neither).
 *
 * @example
 * const rates = createRatesProjection();
 * for (const event of events) rates.apply(event);
 * rates.unitRates({ month: "2026-03", asOf: new Date() });
 */
export function createRatesProjection() {
  const assignments = new Map<string, AssignmentFacts>();
  const clues = new Map<string, { departments: string[]; towns: string[]; openedOn: string }>();
  const callBacks: { clueId: string; on: string; result: string; leadUnits: string[] }[] = [];
  const overdue: { clueId: string; on: string }[] = [];
  /** Rule 10: the discipline clues opened about a department from its service failures. */
  const conductClues: { clueId: string; department: string; on: string }[] = [];
  /**
   * What counts against the units in the ranking (DESIGN §7): returns the commission upheld (the unit tried to pass
   * on work that was its own), redos (发回重办) and supervision orders left unanswered past their deadline (提级督办).
   */
  const demerits: { clueId: string; kind: "return-upheld" | "redo" | "supervision-overdue"; on: string }[] = [];

  function apply(event: LedgerEvent): void {
    switch (event.event) {
      case "clue.opened":
        clues.set(event.clueId, { ...event.subjects, openedOn: dayOf(event.occurredAt) });
        return;
      case "assignment.assigned":
        assignments.set(event.assignment.assignmentId, {
          clueId: event.clueId,
          unitId: event.assignment.unitId,
          role: event.assignment.role,
          assignedOn: dayOf(event.occurredAt),
          acceptDueOn: event.acceptDueOn,
          respondedOn: null,
          state: "assigned",
        });
        return;
      case "assignment.accepted":
      case "assignment.rejected":
      case "assignment.transferred":
      case "assignment.disposed":
      case "assignment.progressed":
      case "assignment.concluded":
      case "assignment.reopened":
      case "assignment.returned":
      case "assignment.return-decided": {
        if (event.event === "assignment.return-decided" && event.decision === "upheld") {
          demerits.push({ clueId: event.clueId, kind: "return-upheld", on: dayOf(event.occurredAt) });
        }
        const facts = assignments.get(event.assignment.assignmentId);
        if (!facts) return;
        if (facts.respondedOn === null && event.from === "assigned") facts.respondedOn = dayOf(event.occurredAt);
        facts.state = event.to;
        return;
      }
      case "clue.redo-ordered":
        demerits.push({ clueId: event.clueId, kind: "redo", on: dayOf(event.occurredAt) });
        return;
      case "supervision.escalated":
        demerits.push({ clueId: event.clueId, kind: "supervision-overdue", on: dayOf(event.occurredAt) });
        return;
      case "clue.call-back-recorded":
        callBacks.push({ clueId: event.clueId, on: dayOf(event.occurredAt), result: event.result, leadUnits: event.leadUnits });
        return;
      case "deadline.overdue":
        overdue.push({ clueId: event.clueId, on: dayOf(event.occurredAt) });
        break;
      case "conduct.pattern-detected":
        if (event.mode === "open")
          conductClues.push({ clueId: event.clueId, department: event.department, on: dayOf(event.occurredAt) });
        return;
      case "deadline.scheduled": {
        const facts = event.deadline.assignmentId === null ? undefined : assignments.get(event.deadline.assignmentId);
        if (facts && event.deadline.kind === "accept") facts.acceptDueOn = event.deadline.dueOn;
        return;
      }
      default:
        return;
    }
  }

  /** Response and resolution over a set of assignments, satisfaction over a set of call-backs. */
  function measure(options: { assignments: AssignmentFacts[]; callBacks: typeof callBacks; asOf: Date }) {
    const today = shanghaiDateOf(options.asOf);
    // An assignment whose accept due date is not known yet (calendar-pending) cannot be judged on time or late.
    const decided = options.assignments.filter(
      (a): a is AssignmentFacts & { acceptDueOn: string } =>
        a.acceptDueOn !== null && (a.respondedOn !== null || a.acceptDueOn < today),
    );
    const onTime = decided.filter((a) => a.respondedOn !== null && a.respondedOn <= a.acceptDueOn);
    const takenOn = options.assignments.filter((a) => a.role === "lead" && TAKEN_ON.has(a.state));
    const judged = options.callBacks.filter((c) => c.result !== "unreachable");
    return {
      response: share(onTime.length, decided.length),
      resolution: share(takenOn.filter((a) => a.state === "concluded").length, takenOn.length),
      satisfaction: share(judged.filter((c) => c.result === "satisfied").length, judged.length),
    };
  }

  function unitRates(options: { month: Month; asOf: Date; unitId?: string }): UnitRates[] {
    const inMonth = [...assignments.values()].filter((a) => a.assignedOn.startsWith(options.month));
    const monthCallBacks = callBacks.filter((c) => c.on.startsWith(options.month));
    const units = new Set([...inMonth.map((a) => a.unitId), ...monthCallBacks.flatMap((c) => c.leadUnits)]);
    return [...units]
      .filter((unitId) => options.unitId === undefined || unitId === options.unitId)
      .sort()
      .map((unitId) => ({
        unitId,
        month: options.month,
        ...measure({
          assignments: inMonth.filter((a) => a.unitId === unitId),
          callBacks: monthCallBacks.filter((c) => c.leadUnits.includes(unitId)),
          asOf: options.asOf,
        }),
      }));
  }

  return { apply, unitRates, measure, clues, assignments, callBacks, overdue, conductClues, demerits };
}

export type RatesProjection = ReturnType<typeof createRatesProjection>;
