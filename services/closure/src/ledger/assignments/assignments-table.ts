import { type AssignmentCause, AssignmentRole, AssignmentState, AssignmentTrack, type DeadlineKind } from "@clueline/contracts";
import { insertFromJson, jsonRecordset, type Queryable } from "@clueline/db";
import { z } from "zod";
import { type ClueRecord, ClueRecordRow, clueRecordColumns } from "../clues/clues-table.js";
import { AssignmentNotFound } from "../ledger-errors.js";

/**
 * The `assignments` table: inserts and the reads taken under the clues' locks. A unit action's change of an
 * assignment (its state and the columns the action sets) is written by the one statement of
 * `assignment-change-buffer.ts`, beside it.
 */

/** A row of `assignments` as the ledger inserts it; it starts `assigned`. */
export interface AssignmentRow {
  assignment_id: string;
  clue_id: string;
  unit_id: string;
  role: AssignmentRole;
  track: AssignmentTrack;
  cause: AssignmentCause;
  assigned_at: string;
  accept_due_on: string | null;
  conclude_due_on: string | null;
}

const insertedColumns = {
  assignment_id: "text",
  clue_id: "text",
  unit_id: "text",
  role: "text",
  track: "text",
  cause: "text",
  assigned_at: "timestamptz",
  accept_due_on: "date",
  conclude_due_on: "date",
} as const satisfies Record<keyof AssignmentRow, string>;

/** The insert of assignments from a jsonb array of {@link AssignmentRow}s given as `parameter`, alone or in a CTE. */
export function insertAssignmentsFrom(parameter: string): string {
  return insertFromJson("assignments", parameter, insertedColumns, { state: "'assigned'", updated_at: "assigned_at" });
}

/**
 * The insert of an opening's assignments from a jsonb array of {@link AssignmentRow}s each with `stream_pos`: the
 * number of its unit's stream position in `positions` (a CTE of `(n, seq)`), or null. An assignment with a position
 * stands for its unit's visibility row (migration 020: the unit has no clue_units row for the clue).
 */
export function insertPositionedAssignmentsFrom(parameter: string, positions: string): string {
  const columns = Object.keys(insertedColumns).join(", ");
  return `insert into assignments (${columns}, state, updated_at, stream_seq)
    select ${columns}, 'assigned', assigned_at, (select p.seq from ${positions} p where p.n = r.stream_pos)
    from ${jsonRecordset(parameter, { ...insertedColumns, stream_pos: "integer" })}`;
}

/**
 * Clears the stream position of the assignments of `unit` (a SQL expression) on the clues `clueIds` selects
 * (`stream_seq` of migration 020), as their unit's visibility moves into a clue_units row; alone or in a CTE.
 */
export function unpositionAssignmentsSql(options: { clueIds: string; unitIds: string }): string {
  return `update assignments set stream_seq = null
    where clue_id in (${options.clueIds}) and unit_id = any(${options.unitIds}) and stream_seq is not null
    returning clue_id, unit_id, role`;
}

/** Inserts assignments in one statement, all `assigned`. */
export async function insertAssignments(tx: Queryable, rows: readonly AssignmentRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(insertAssignmentsFrom("$1"), [JSON.stringify(rows)]);
}

/** An assignment row's columns that ledger steps decide on, parsed. */
export const AssignmentRecordRow = z
  .object({
    assignment_id: z.string(),
    clue_id: z.string(),
    unit_id: z.string(),
    role: AssignmentRole,
    track: AssignmentTrack,
    state: AssignmentState,
    complex: z.boolean(),
    assigned_at: z.coerce.date(),
  })
  .transform((row) => ({
    assignmentId: row.assignment_id,
    clueId: row.clue_id,
    unitId: row.unit_id,
    role: row.role,
    track: row.track,
    state: row.state,
    complex: row.complex,
    assignedAt: row.assigned_at,
  }));
export type AssignmentRecord = z.output<typeof AssignmentRecordRow>;

const recordColumns = Object.keys(AssignmentRecordRow.in.shape);
const assignmentColumns = recordColumns.join(", ");

/** An assignment and its clue as read under their locks; the clue's state comes as `clue_state`. */
function parseLocked(row: Record<string, unknown>): { clue: ClueRecord; assignment: AssignmentRecord } {
  return { clue: ClueRecordRow.parse({ ...row, state: row.clue_state }), assignment: AssignmentRecordRow.parse(row) };
}

const lockedColumns = `${clueRecordColumns("c").replace("c.state", "c.state as clue_state")},
  ${recordColumns
    .filter((column) => column !== "clue_id")
    .map((column) => `a.${column}`)
    .join(", ")}`;

/**
 * Locks an assignment's clue, then the assignment, in one statement, and returns both as committed by whoever
 * held them before. Lock order is the clue first (FROM order decides it: the reverse deadlocks against a
 * change that holds the clue and then writes the assignment), and a row that changed while we waited is
 * re-read before it is returned (PostgreSQL's re-check of locked rows), so no action works on a stale state.
 */
export async function lockAssignment(
  tx: Queryable,
  assignmentId: string,
): Promise<{ clue: ClueRecord; assignment: AssignmentRecord }> {
  const { rows } = await tx.query(
    `select ${lockedColumns}
     from clues c join assignments a on a.clue_id = c.clue_id
     where a.assignment_id = $1 for update of c, a`,
    [assignmentId],
  );
  if (!rows[0]) throw new AssignmentNotFound(assignmentId);
  return parseLocked(rows[0]);
}

/**
 * {@link lockAssignment} for many assignments in one statement, locking clues then assignments in id order, so two
 * transactions locking overlapping sets never deadlock on each other. Unknown ids are simply absent.
 */
export async function lockAssignments(
  tx: Queryable,
  assignmentIds: readonly string[],
): Promise<Map<string, { clue: ClueRecord; assignment: AssignmentRecord }>> {
  const { rows } = await tx.query(
    `select ${lockedColumns}
     from clues c join assignments a on a.clue_id = c.clue_id
     where a.assignment_id = any($1::text[]) order by c.clue_id, a.assignment_id for update of c, a`,
    [assignmentIds],
  );
  return new Map(
    rows.map((row) => {
      const locked = parseLocked(row);
      return [locked.assignment.assignmentId, locked];
    }),
  );
}

export async function assignmentsOf(tx: Queryable, clueId: string): Promise<AssignmentRecord[]> {
  const { rows } = await tx.query(
    `select ${assignmentColumns} from assignments where clue_id = $1 order by assigned_at, assignment_id`,
    [clueId],
  );
  return rows.map((row) => AssignmentRecordRow.parse(row));
}

/** A lead assignment of a clue, as a clue's conclusion decides on it. */
export interface LeadRecord {
  assignmentId: string;
  unitId: string;
  state: AssignmentState;
}

const LeadRow = z.object({ clue_id: z.string(), assignment_id: z.string(), unit_id: z.string(), state: AssignmentState });

/** The lead assignments of each given clue, in assignment order; read under the clues' locks. */
export async function leadsOfClues(tx: Queryable, clueIds: readonly string[]): Promise<Map<string, LeadRecord[]>> {
  const leads = new Map<string, LeadRecord[]>(clueIds.map((clueId) => [clueId, []]));
  if (clueIds.length === 0) return leads;
  const { rows } = await tx.query(
    `select clue_id, assignment_id, unit_id, state from assignments
     where clue_id = any($1::text[]) and role = 'lead' order by clue_id, assigned_at, assignment_id`,
    [clueIds],
  );
  for (const row of rows.map((r) => LeadRow.parse(r))) {
    leads.get(row.clue_id)?.push({ assignmentId: row.assignment_id, unitId: row.unit_id, state: row.state });
  }
  return leads;
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
  rows: readonly { id: string; clueId: string; assignmentId: string | null; kind: DeadlineKind; due_on: string | null }[],
): Promise<void> {
  for (const kind of ["accept", "conclude"] as const) {
    const mine = rows.filter((row) => row.kind === kind && row.assignmentId !== null);
    if (mine.length === 0) continue;
    await tx.query(
      `update assignments a set ${dueOnColumn[kind]} = r.due_on
       from jsonb_to_recordset($1::jsonb) as r(id bigint, "clueId" text, "assignmentId" text, due_on date)
       where a.assignment_id = r."assignmentId" and not exists (
         select 1 from deadlines later
         where later.clue_id = r."clueId" and later.assignment_id = r."assignmentId" and later.kind = $2
           and later.deadline_id > r.id)`,
      [JSON.stringify(mine), kind],
    );
  }
}
