import type { AssignmentRole, AssignmentTrack, DeadlineKind } from "@clueline/contracts";
import { newId } from "@clueline/contracts";
import type { Queryable } from "@clueline/db";
import { type DeadlineRow, deadlineRow, insertDeadlines } from "./deadline-rows.js";
import type { LedgerContext } from "./ledger-context.js";
import type { LedgerEvent } from "./ledger-event.js";
import { appendLifecycle } from "./ledger-events.js";
import { showClueTo } from "./ledger-records.js";

export interface AssignmentOptions {
  clueId: string;
  unitId: string;
  role: AssignmentRole;
  track: AssignmentTrack;
  cause: "routing" | "transfer" | "escalation" | "classification" | "reassignment";
  channel: "hotline" | "intake" | "media";
}

/** A row of `assignments` as the ledger inserts it. */
export interface AssignmentRow {
  assignment_id: string;
  clue_id: string;
  unit_id: string;
  role: AssignmentRole;
  track: AssignmentTrack;
  cause: AssignmentOptions["cause"];
  assigned_at: string;
  accept_due_on: string | null;
  conclude_due_on: string | null;
}

/**
 * What giving a unit an assignment writes: the row, its clocks (accept; conclude on the service track) and the
 * `assignment.assigned` event. Pure, so a batch of routed decisions plans hundreds and inserts them together.
 */
export function planAssignment(
  ctx: Pick<LedgerContext, "now" | "actor" | "deadlines">,
  options: AssignmentOptions,
): { row: AssignmentRow; deadlines: DeadlineRow[]; event: LedgerEvent } {
  const assignmentId = newId();
  const accept = ctx.deadlines.accept({ from: ctx.now, channel: options.channel });
  const conclude = options.track === "service" ? ctx.deadlines.serviceConclude({ from: ctx.now, complex: false }) : null;
  const owner = { clueId: options.clueId, assignmentId, unitId: options.unitId };
  const assignment = { assignmentId, unitId: options.unitId, role: options.role, track: options.track };
  const occurredAt = ctx.now.toISOString();
  return {
    row: {
      assignment_id: assignmentId,
      clue_id: options.clueId,
      unit_id: options.unitId,
      role: options.role,
      track: options.track,
      cause: options.cause,
      assigned_at: occurredAt,
      accept_due_on: accept.dueOn,
      conclude_due_on: conclude?.dueOn ?? null,
    },
    deadlines: [deadlineRow(owner, "accept", accept), ...(conclude ? [deadlineRow(owner, "conclude", conclude)] : [])],
    // Written out rather than spread from eventBase: objects built with spreads are several times slower on Node 20,
    // and a batch plans hundreds of these. A calendar-pending accept clock has no date yet (acceptDueOn null):
    // `deadline.scheduled` gives it once the year is added.
    event: {
      clueId: options.clueId,
      occurredAt,
      actor: ctx.actor,
      event: "assignment.assigned",
      assignment,
      cause: options.cause,
      acceptDueOn: accept.dueOn,
      concludeDueOn: conclude?.dueOn ?? null,
    },
  };
}

/** Inserts assignments in one statement, all `assigned`. */
export async function insertAssignments(tx: Queryable, rows: readonly AssignmentRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(insertAssignmentsFrom("$1"), [JSON.stringify(rows)]);
}

/** The insert of assignments from a jsonb array of {@link AssignmentRow}s given as `parameter`, alone or in a CTE. */
export function insertAssignmentsFrom(parameter: string): string {
  return `insert into assignments (assignment_id, clue_id, unit_id, role, track, state, cause, assigned_at, accept_due_on,
       conclude_due_on, updated_at)
     select assignment_id, clue_id, unit_id, role, track, 'assigned', cause, assigned_at, accept_due_on, conclude_due_on,
       assigned_at
     from jsonb_to_recordset(${parameter}::jsonb) as r(assignment_id text, clue_id text, unit_id text, role text, track text,
       cause text, assigned_at timestamptz, accept_due_on date, conclude_due_on date)`;
}

/**
 * Gives a unit an assignment on a clue that is already in the ledger: its row, clocks, place in the unit's stream
 * and event. Used by transfers, escalation and reassignment (改派); routing plans its assignments with {@link planAssignment}.
 */
export async function assignUnit(ctx: LedgerContext, options: AssignmentOptions): Promise<string> {
  const plan = planAssignment(ctx, options);
  await insertAssignments(ctx.tx, [plan.row]);
  await insertDeadlines(ctx.tx, plan.deadlines);
  await showClueTo(ctx.tx, { clueId: options.clueId, unitId: options.unitId, role: options.role });
  await appendLifecycle(ctx, plan.event);
  return plan.row.assignment_id;
}

/** The assignment column that shows the due date of its clock of `kind`. */
const dueOnColumn = { accept: "accept_due_on", conclude: "conclude_due_on" } as const;

/** Shows an assignment's moved due date (an extension granted) on the assignment. */
export async function setAssignmentDueOn(
  tx: Queryable,
  options: { assignmentId: string; kind: keyof typeof dueOnColumn; dueOn: string; now: Date },
): Promise<void> {
  await tx.query(`update assignments set ${dueOnColumn[options.kind]} = $2, updated_at = $3 where assignment_id = $1`, [
    options.assignmentId,
    options.dueOn,
    options.now,
  ]);
}

/**
 * Gives assignments the due dates their calendar-pending accept and conclude clocks just got; of an assignment's
 * clocks of one kind, the latest decides.
 */
export async function dateAssignmentsFromClocks(
  tx: Queryable,
  rows: readonly { id: string; assignmentId: string | null; kind: DeadlineKind; due_on: string | null }[],
): Promise<void> {
  for (const kind of ["accept", "conclude"] as const) {
    const mine = rows.filter((row) => row.kind === kind && row.assignmentId !== null);
    if (mine.length === 0) continue;
    await tx.query(
      `update assignments a set ${dueOnColumn[kind]} = r.due_on
       from jsonb_to_recordset($1::jsonb) as r(id bigint, "assignmentId" text, due_on date)
       where a.assignment_id = r."assignmentId" and not exists (
         select 1 from deadlines later where later.assignment_id = r."assignmentId" and later.kind = $2
           and later.deadline_id > r.id)`,
      [JSON.stringify(mine), kind],
    );
  }
}
