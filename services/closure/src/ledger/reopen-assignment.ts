import { Disposition } from "@clueline/contracts";
import { conclusionStart, defaultDisciplinePolicy, disposalStart } from "../deadlines/discipline-clocks.js";
import { nextAssignmentState } from "../lifecycle/assignment-machine.js";
import { meetDeadlines, startDeadline } from "./deadline-rows.js";
import { eventBase, type LedgerContext } from "./ledger-context.js";
import { appendLifecycle } from "./ledger-events.js";
import { type AssignmentRecord, setAssignmentState } from "./ledger-records.js";

/**
 * Reopens a concluded lead assignment (a dissatisfied call-back, a redo 发回重办) with a fresh clock counted from
 * now, so reopened work goes overdue like any other: the service track's conclusion clock (complexity kept); on the
 * discipline track, the conclusion clock of the way it was disposed of when that way has one (谈话函询, 初步核实),
 * else a disposal clock, for the lead disposes of the clue anew. The old clocks are met (stopped) first.
 *
 * @example
 * for (const lead of concludedLeads) await reopenAssignment(ctx, lead);
 */
export async function reopenAssignment(ctx: LedgerContext, lead: AssignmentRecord): Promise<void> {
  const to = nextAssignmentState(lead.state, "reopen");
  await setAssignmentState(ctx.tx, lead.assignmentId, to, ctx.now);
  const owner = { clueId: lead.clueId, assignmentId: lead.assignmentId, unitId: lead.unitId };
  await meetDeadlines(ctx.tx, { assignmentId: lead.assignmentId, kinds: ["conclude", "dispose", "review"] });
  let concludeDueOn: string | null = null;
  if (lead.track === "service") {
    const due = ctx.deadlines.serviceConclude({ from: ctx.now, complex: lead.complex });
    await startDeadline(ctx.tx, { ...owner, kind: "conclude", due });
    concludeDueOn = due.dueOn;
  } else {
    const policy = ctx.discipline ?? defaultDisciplinePolicy;
    const disposition = await dispositionOf(ctx, lead.assignmentId);
    const start = disposition ? conclusionStart(policy, disposition, ctx.now) : null;
    const due = ctx.deadlines.compute(start ?? disposalStart(policy, ctx.now));
    await startDeadline(ctx.tx, { ...owner, kind: start ? "conclude" : "dispose", due });
    concludeDueOn = start ? due.dueOn : null;
  }
  await ctx.tx.query("update assignments set conclude_due_on = $2 where assignment_id = $1", [lead.assignmentId, concludeDueOn]);
  const assignment = { assignmentId: lead.assignmentId, unitId: lead.unitId, role: lead.role, track: lead.track };
  await appendLifecycle(ctx, {
    ...eventBase(ctx, lead.clueId),
    event: "assignment.reopened",
    assignment,
    from: lead.state,
    to,
    concludeDueOn,
  });
}

async function dispositionOf(ctx: LedgerContext, assignmentId: string): Promise<Disposition | null> {
  const { rows } = await ctx.tx.query("select disposition from assignments where assignment_id = $1", [assignmentId]);
  const parsed = Disposition.safeParse(rows[0]?.disposition);
  return parsed.success ? parsed.data : null;
}
