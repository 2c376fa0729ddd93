import type { AssignmentAction } from "@clueline/contracts";
import { RefusedTransition } from "@clueline/contracts/errors";
import { finishedAssignmentStates, nextAssignmentState } from "../lifecycle/assignment-machine.js";
import { assignUnit } from "./assign-unit.js";
import { concludeClueIfDone } from "./conclude-clue.js";
import { meetDeadlines, startDeadline } from "./deadline-rows.js";
import { eventBase, type LedgerContext } from "./ledger-context.js";
import { AssignmentNotFound, InvalidAction } from "./ledger-errors.js";
import { appendLifecycle } from "./ledger-events.js";
import { type AssignmentRecord, type ClueRecord, type LeadRecord, lockAssignment } from "./ledger-records.js";
import { recordAssignmentChange } from "./record-assignment-change.js";
import { scrubAct } from "./scrub-notes.js";

const UNIT_ID = /^[a-z0-9-]+$/;

/**
 * A unit acts on its assignment (DESIGN §7). `unitId` is the unit the caller acts for: an assignment of any
 * other unit is reported as not found, so a unit learns nothing about other units' work. `locked` is the pair
 * as this transaction already locked it (a group commit locks a whole group at once); without it, it is locked
 * here.
 *
 * Resolves to whether the clue's row may have changed. An action writes its own assignment (and, for a transfer,
 * a new one) and the clue only when a lead finishes and the clue may conclude, so a group commit can keep using
 * the clue as it locked it for the clue's other assignments until then.
 */
export async function actOnAssignment(
  ctx: LedgerContext,
  options: { assignmentId: string; unitId: string; act: AssignmentAction },
  locked?: { clue: ClueRecord; assignment: AssignmentRecord; leads?: LeadRecord[] },
): Promise<boolean> {
  // Its free text as units will read it (scrub-notes.ts).
  const act = scrubAct(options.act);
  const { clue, assignment } = locked ?? (await lockAssignment(ctx.tx, options.assignmentId));
  if (assignment.unitId !== options.unitId) throw new AssignmentNotFound(options.assignmentId);
  const to = nextAssignmentState(assignment.state, act.action);
  const { assignmentId, unitId, role, track } = assignment;
  const change = {
    ...eventBase(ctx, clue.clueId),
    assignment: { assignmentId, unitId, role, track },
    from: assignment.state,
    to,
  };
  const { now } = ctx;

  switch (act.action) {
    case "accept":
      await recordAssignmentChange(ctx, {
        assignmentId,
        event: { ...change, event: "assignment.accepted" },
        set: { responded_at: now },
        meet: ["accept"],
      });
      break;
    case "reject":
      await recordAssignmentChange(ctx, {
        assignmentId,
        event: { ...change, event: "assignment.rejected" },
        set: { responded_at: now, reject_reason: act.reason },
        meet: ["accept", "conclude"],
        note: act.reason,
      });
      break;
    case "transfer":
      if (act.scope === "unit" && (!UNIT_ID.test(act.to) || act.to === unitId)) {
        throw new InvalidAction("to", "a transfer inside the district names another unit's id ([a-z0-9-]+)");
      }
      await recordAssignmentChange(ctx, {
        assignmentId,
        event: { ...change, event: "assignment.transferred", target: act.to, scope: act.scope },
        set: { responded_at: now, transferred_to: act.to },
        meet: ["accept", "conclude"],
        note: act.note,
      });
      if (act.scope === "unit") {
        await assignUnit(ctx, { unitId: act.to, role, track, clueId: clue.clueId, cause: "transfer", channel: clue.channel });
      }
      break;
    case "dispose": {
      // Complexity changes a service complaint's clock, counted from the assignment as the 12345 standard does.
      const due =
        track === "service" && act.complex !== assignment.complex
          ? ctx.deadlines.serviceConclude({ from: assignment.assignedAt, complex: act.complex })
          : null;
      await recordAssignmentChange(ctx, {
        assignmentId,
        event: {
          ...change,
          event: "assignment.disposed",
          disposition: act.disposition,
          complex: act.complex,
          concludeDueOn: due?.dueOn ?? null,
        },
        set: { disposition: act.disposition, complex: act.complex, ...(due ? { conclude_due_on: due.dueOn } : {}) },
        meet: due ? ["conclude"] : [],
        note: act.note,
      });
      if (due) await startDeadline(ctx.tx, { clueId: clue.clueId, assignmentId, unitId, kind: "conclude", due });
      break;
    }
    case "progress":
      await recordAssignmentChange(ctx, { assignmentId, event: { ...change, event: "assignment.progressed" }, note: act.note });
      break;
    case "conclude":
      await recordAssignmentChange(ctx, {
        assignmentId,
        event: { ...change, event: "assignment.concluded", result: act.result },
        set: { concluded_at: now, result: act.result, summary: act.summary },
        meet: ["conclude"],
        note: act.summary,
      });
      break;
    case "notify":
      if (clue.reporterKind !== "real-name") {
        throw new RefusedTransition({
          from: clue.state,
          action: "notify",
          message: "an anonymous reporter is owed no acceptance notice",
        });
      }
      await meetDeadlines(ctx.tx, { clueId: clue.clueId, kinds: ["acceptance-notice"] });
      await appendLifecycle(ctx, {
        ...eventBase(ctx, clue.clueId),
        event: "clue.reporter-notified",
        notice: "acceptance",
        unitId,
      });
      break;
  }
  if (role === "lead" && finishedAssignmentStates.has(to)) {
    // The group's read of the clue's leads, when it has one, with this change put in; else they are read there
    // (always after a transfer, which may have added a lead).
    const leads =
      act.action === "transfer"
        ? undefined
        : locked?.leads?.map((lead) => (lead.assignmentId === assignmentId ? { ...lead, state: to } : lead));
    await concludeClueIfDone(ctx, clue, leads);
    return true;
  }
  return false;
}
