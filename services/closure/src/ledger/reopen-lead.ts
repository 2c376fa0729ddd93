import { defaultDisciplinePolicy, disposalStart } from "../deadlines/discipline-clocks.js";
import { nextAssignmentState } from "../lifecycle/assignment-machine.js";
import { workClocks } from "./act-on-assignment.js";
import { type AssignmentRecord, assignmentsOf } from "./assignments/assignments-table.js";
import { recordAssignmentChange } from "./assignments/record-assignment-change.js";
import { startDeadline } from "./deadlines/deadline-rows.js";
import { eventBase, type LedgerContext } from "./ledger-context.js";

/**
 * A clue's concluded lead assignments, the ones a reopening puts back to work, in unit-id order: leads assigned in
 * one transaction share a time and have no other order, and the events a reopening writes must have one.
 */
export async function concludedLeadsOf(tx: LedgerContext["tx"], clueId: string): Promise<AssignmentRecord[]> {
  return (await assignmentsOf(tx, clueId))
    .filter((a) => a.role === "lead" && a.state === "concluded")
    .sort((a, b) => (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0));
}

/**
 * Puts a concluded lead assignment back to work (`in-progress`) with fresh clocks counted from now, as a
 * dissatisfied call-back or a supplement to a finished clue does (DESIGN §7): a service lead owes a new conclusion
 * within the service period; a discipline lead owes a new disposal (处置方式) of the clue with what it now holds,
 * within the disposal period, and the conclusion clock follows that disposal as after an acceptance. The clocks of
 * the earlier work are met first, so no stale one can go overdue.
 *
 * @example
 * for (const lead of concludedLeads) await reopenLeadAssignment(ctx, lead);
 */
export async function reopenLeadAssignment(ctx: LedgerContext, lead: AssignmentRecord): Promise<void> {
  const to = nextAssignmentState(lead.state, "reopen");
  const owner = { clueId: lead.clueId, assignmentId: lead.assignmentId, unitId: lead.unitId };
  const conclude = lead.track === "service" ? ctx.deadlines.serviceConclude({ from: ctx.now, complex: lead.complex }) : null;
  const dispose =
    lead.track === "discipline" ? ctx.deadlines.compute(disposalStart(ctx.discipline ?? defaultDisciplinePolicy, ctx.now)) : null;
  // The earlier work's clocks are met and the state moves by the one write of an assignment change; the new clocks follow.
  await recordAssignmentChange(ctx, {
    assignmentId: lead.assignmentId,
    event: {
      ...eventBase(ctx, lead.clueId),
      event: "assignment.reopened",
      assignment: { assignmentId: lead.assignmentId, unitId: lead.unitId, role: lead.role, track: lead.track },
      from: lead.state,
      to,
      concludeDueOn: conclude?.dueOn ?? null,
      disposeDueOn: dispose?.dueOn ?? null,
    },
    set: { conclude_due_on: conclude?.dueOn ?? null },
    meet: workClocks,
  });
  if (conclude) await startDeadline(ctx.tx, { ...owner, kind: "conclude", due: conclude });
  if (dispose) await startDeadline(ctx.tx, { ...owner, kind: "dispose", due: dispose });
}
