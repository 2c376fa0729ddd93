import type { AssignmentAction, DeadlineKind, LifecycleEvent } from "@clueline/contracts";
import { RefusedTransition } from "@clueline/contracts/errors";
import {
  conclusionStart,
  defaultDisciplinePolicy,
  disposalStart,
  reviewDateProblem,
  reviewStart,
} from "../deadlines/discipline-clocks.js";
import { finishedAssignmentStates, nextAssignmentState, rejectionReviewed } from "../lifecycle/assignment-machine.js";
import { returnAssignment } from "../returns/return-assignment.js";
import { assignUnit } from "./assign-unit.js";
import { type AssignmentRecord, type LeadRecord, lockAssignment } from "./assignments/assignments-table.js";
import { recordAssignmentChange } from "./assignments/record-assignment-change.js";
import type { ClueRecord } from "./clues/clues-table.js";
import { concludeClueIfDone } from "./conclude-clue.js";
import { meetDeadlines, startDeadline } from "./deadlines/deadline-rows.js";
import { appendLifecycle } from "./events/ledger-events.js";
import { assertKnownBody } from "./known-bodies.js";
import { eventBase, type LedgerContext } from "./ledger-context.js";
import { AssignmentNotFound, InvalidAction } from "./ledger-errors.js";
import { scrubAct } from "./scrub-notes.js";

/** The clocks of the work on an assignment, which an assignment that ends (rejected, transferred, concluded) meets. */
export const workClocks: DeadlineKind[] = ["conclude", "dispose", "review"];

/** The ways of handling a discipline clue (DESIGN §7); `handling` is the service track's. */
const disciplineWays = new Set(["talk-or-letter", "preliminary-check", "preliminary-verification", "hold", "close"]);

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
  const command = act.action === "reject" && rejectionReviewed(assignment) ? "review" : act.action;
  const to = nextAssignmentState(assignment.state, command);
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
      // A discipline lead owes a disposal (处置方式) within the policy's period (DESIGN §7).
      if (track === "discipline" && role === "lead") {
        const due = ctx.deadlines.compute(disposalStart(ctx.discipline ?? defaultDisciplinePolicy, now));
        await startDeadline(ctx.tx, { clueId: clue.clueId, assignmentId, unitId, kind: "dispose", due });
      }
      break;
    case "reject":
      // A discipline lead's 不予受理 is reviewed by the commission like a return (DESIGN §7), never final at once.
      if (rejectionReviewed(assignment)) {
        const { reason } = act;
        await returnAssignment(ctx, {
          clueId: clue.clueId,
          assignment: change.assignment,
          from: assignment.state,
          kind: "reject",
          reason,
        });
        break;
      }
      await recordAssignmentChange(ctx, {
        assignmentId,
        event: { ...change, event: "assignment.rejected" },
        set: { responded_at: now, reject_reason: act.reason },
        meet: ["accept", ...workClocks],
        note: act.reason,
      });
      break;
    case "return":
      await returnAssignment(ctx, {
        clueId: clue.clueId,
        assignment: change.assignment,
        from: assignment.state,
        kind: "return",
        reason: act.reason,
      });
      break;
    case "transfer":
      assertKnownBody(ctx, { field: "to", id: act.to, scope: act.scope });
      if (act.scope === "unit" && act.to === unitId) {
        throw new InvalidAction("to", "a transfer inside the district names another unit's id");
      }
      await recordAssignmentChange(ctx, {
        assignmentId,
        event: { ...change, event: "assignment.transferred", target: act.to, scope: act.scope },
        set: { responded_at: now, transferred_to: act.to },
        meet: ["accept", ...workClocks],
        note: act.note,
      });
      if (act.scope === "unit") {
        await assignUnit(ctx, { unitId: act.to, role, track, clueId: clue.clueId, cause: "transfer", channel: clue.channel });
      }
      break;
    case "dispose": {
      if (track === "discipline") {
        await disposeOfDisciplineClue(ctx, { clueId: clue.clueId, assignment, change, act });
        break;
      }
      if (act.reviewOn !== undefined) throw new InvalidAction("reviewOn", "only a held discipline clue has a review date");
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
        meet: workClocks,
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

/**
 * A discipline assignment's disposal (DESIGN §7): it meets the disposal clock (and a held clue's review clock, and
 * the conclusion clock of an earlier disposal); 谈话函询 and 初步核实 start a conclusion clock of their period, 暂存待查
 * a review clock on its review date (on review the unit disposes again), 予以了结 none. An assist's disposal moves
 * no clock: the lead owes them.
 */
async function disposeOfDisciplineClue(
  ctx: LedgerContext,
  options: {
    clueId: string;
    assignment: AssignmentRecord;
    change: Omit<
      Extract<LifecycleEvent, { event: "assignment.disposed" }>,
      "event" | "disposition" | "complex" | "concludeDueOn"
    >;
    act: Extract<AssignmentAction, { action: "dispose" }>;
  },
): Promise<void> {
  const { clueId, assignment, change, act } = options;
  const { assignmentId, unitId } = assignment;
  // `handling` is no way of handling a discipline clue: still recorded, as before, but it moves no clock, so the
  // disposal stays due.
  const way = disciplineWays.has(act.disposition);
  if (act.disposition === "hold") {
    if (act.reviewOn === undefined) throw new InvalidAction("reviewOn", "a held clue names the date it is reviewed on");
    const problem = reviewDateProblem(act.reviewOn, ctx.now);
    if (problem !== null) throw new InvalidAction("reviewOn", problem);
  } else if (act.reviewOn !== undefined) {
    throw new InvalidAction("reviewOn", "only a held clue has a review date");
  }
  const lead = assignment.role === "lead" && way;
  const policy = ctx.discipline ?? defaultDisciplinePolicy;
  const concludeStart = lead ? conclusionStart(policy, act.disposition, ctx.now) : null;
  const conclude = concludeStart ? ctx.deadlines.compute(concludeStart) : null;
  const review = lead && act.reviewOn !== undefined ? ctx.deadlines.compute(reviewStart(act.reviewOn, ctx.now)) : null;
  await recordAssignmentChange(ctx, {
    assignmentId,
    event: {
      ...change,
      event: "assignment.disposed",
      disposition: act.disposition,
      complex: act.complex,
      concludeDueOn: conclude?.dueOn ?? null,
    },
    set: { disposition: act.disposition, ...(lead ? { conclude_due_on: conclude?.dueOn ?? null } : {}) },
    meet: lead ? workClocks : [],
    note: act.note,
  });
  if (conclude) await startDeadline(ctx.tx, { clueId, assignmentId, unitId, kind: "conclude", due: conclude });
  if (review) await startDeadline(ctx.tx, { clueId, assignmentId, unitId, kind: "review", due: review });
}
