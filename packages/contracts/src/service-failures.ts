import type { ServiceFailure } from "./conduct-pattern.js";
import type { LifecycleEvent } from "./lifecycle.js";

/** What the ledger knows of a clue's service work, for telling service failures from other events. */
export interface ServiceWork {
  /** The unit of a service-track assignment, or undefined when the assignment is not one. */
  serviceUnitOf(assignmentId: string): string | undefined;
  /** The units that lead a service assignment on the clue (行业部门: departments). */
  serviceLeadsOf(clueId: string): ReadonlySet<string>;
}

/**
 * The service failures (rule 10) one lifecycle event records: a missed accept or conclude deadline of a service
 * assignment, a dissatisfied call-back judging the departments that led the clue's service work, or the commission
 * upholding a service assignment's return (退回: the department had to handle the clue after all). The closure and
 * the routing CLI's what-if both read failures this way.
 *
 * @example
 * const failures = serviceFailuresOf(event, work); // [] for most events
 */
export function serviceFailuresOf(event: LifecycleEvent, work: ServiceWork): ServiceFailure[] {
  if (event.event === "deadline.overdue") {
    const { kind, assignmentId, dueOn } = event.deadline;
    if (assignmentId === null || (kind !== "accept" && kind !== "conclude")) return [];
    const department = work.serviceUnitOf(assignmentId);
    if (department === undefined) return [];
    const what = kind === "accept" ? "was not accepted" : "was not concluded";
    return [
      {
        id: `overdue:${assignmentId}`,
        kind: "overdue",
        department,
        clueId: event.clueId,
        occurredAt: event.occurredAt,
        detail: `service assignment ${assignmentId} ${what} by its deadline (${dueOn})`,
      },
    ];
  }
  if (event.event === "clue.call-back-recorded" && event.result === "dissatisfied") {
    const leads = work.serviceLeadsOf(event.clueId);
    return event.leadUnits
      .filter((unit) => leads.has(unit))
      .map((department) => ({
        id: `dissatisfied:${event.clueId}:${event.round}:${department}`,
        kind: "dissatisfied" as const,
        department,
        clueId: event.clueId,
        occurredAt: event.occurredAt,
        detail: `call-back round ${event.round}: the reporter was dissatisfied with the service work`,
      }));
  }
  if (event.event === "assignment.return-decided" && event.decision === "upheld" && event.assignment.track === "service") {
    return [
      {
        id: `return-upheld:${event.returnId}`,
        kind: "return-upheld",
        department: event.assignment.unitId,
        clueId: event.clueId,
        occurredAt: event.occurredAt,
        detail: `the commission upheld service assignment ${event.assignment.assignmentId}: the department's return was refused`,
      },
    ];
  }
  return [];
}
