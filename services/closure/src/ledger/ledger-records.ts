import type { AssignmentRole, AssignmentState, AssignmentTrack, ClueState } from "@clueline/contracts";
import type { Queryable } from "@clueline/db";
import { AssignmentNotFound, ClueNotFound } from "./ledger-errors.js";

/** The parts of a clue row that ledger steps decide on. */
export interface ClueRecord {
  clueId: string;
  state: ClueState;
  channel: "hotline" | "intake" | "media";
  reporterKind: "anonymous" | "real-name";
  reopenCount: number;
  escalated: boolean;
}

export interface AssignmentRecord {
  assignmentId: string;
  clueId: string;
  unitId: string;
  role: AssignmentRole;
  track: AssignmentTrack;
  state: AssignmentState;
  complex: boolean;
  assignedAt: Date;
}

/**
 * Locks the clue row for the rest of the transaction. Every change to a clue takes this lock first, so the
 * changes of one clue commit one after another and their events get increasing seq numbers in commit order,
 * which is the order the relay publishes them in.
 */
export async function lockClue(tx: Queryable, clueId: string): Promise<ClueRecord> {
  const { rows } = await tx.query(
    `select clue_id, state, channel, reporter_kind, reopen_count, escalated from clues where clue_id = $1 for update`,
    [clueId],
  );
  if (!rows[0]) throw new ClueNotFound(clueId);
  return toClue(rows[0]);
}

function toClue(row: Record<string, unknown>): ClueRecord {
  return {
    clueId: String(row.clue_id),
    state: row.state as ClueState,
    channel: row.channel as ClueRecord["channel"],
    reporterKind: row.reporter_kind as ClueRecord["reporterKind"],
    reopenCount: Number(row.reopen_count),
    escalated: Boolean(row.escalated),
  };
}

const assignmentColumns = "assignment_id, clue_id, unit_id, role, track, state, complex, assigned_at";

function toAssignment(row: Record<string, unknown>): AssignmentRecord {
  return {
    assignmentId: String(row.assignment_id),
    clueId: String(row.clue_id),
    unitId: String(row.unit_id),
    role: row.role as AssignmentRole,
    track: row.track as AssignmentTrack,
    state: row.state as AssignmentState,
    complex: Boolean(row.complex),
    assignedAt: new Date(row.assigned_at as Date | string),
  };
}

const LOCKED_COLUMNS = `c.clue_id, c.state as clue_state, c.channel, c.reporter_kind, c.reopen_count, c.escalated,
  a.assignment_id, a.unit_id, a.role, a.track, a.state, a.complex, a.assigned_at`;

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
    `select ${LOCKED_COLUMNS}
     from clues c join assignments a on a.clue_id = c.clue_id
     where a.assignment_id = $1 for update of c, a`,
    [assignmentId],
  );
  const row = rows[0];
  if (!row) throw new AssignmentNotFound(assignmentId);
  return { clue: toClue({ ...row, state: row.clue_state }), assignment: toAssignment(row) };
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
    `select ${LOCKED_COLUMNS}
     from clues c join assignments a on a.clue_id = c.clue_id
     where a.assignment_id = any($1::text[]) order by c.clue_id, a.assignment_id for update of c, a`,
    [assignmentIds],
  );
  return new Map(
    rows.map((row) => [
      String(row.assignment_id),
      { clue: toClue({ ...row, state: row.clue_state }), assignment: toAssignment(row) },
    ]),
  );
}

export async function assignmentsOf(tx: Queryable, clueId: string): Promise<AssignmentRecord[]> {
  const { rows } = await tx.query(
    `select ${assignmentColumns} from assignments where clue_id = $1 order by assigned_at, assignment_id`,
    [clueId],
  );
  return rows.map(toAssignment);
}

/** A lead assignment of a clue, as a clue's conclusion decides on it. */
export interface LeadRecord {
  assignmentId: string;
  unitId: string;
  state: AssignmentState;
}

/** The lead assignments of each given clue, in assignment order; read under the clues' locks. */
export async function leadsOfClues(tx: Queryable, clueIds: readonly string[]): Promise<Map<string, LeadRecord[]>> {
  const leads = new Map<string, LeadRecord[]>(clueIds.map((clueId) => [clueId, []]));
  if (clueIds.length === 0) return leads;
  const { rows } = await tx.query<{ clue_id: string; assignment_id: string; unit_id: string; state: AssignmentState }>(
    `select clue_id, assignment_id, unit_id, state from assignments
     where clue_id = any($1::text[]) and role = 'lead' order by clue_id, assigned_at, assignment_id`,
    [clueIds],
  );
  for (const row of rows) {
    leads.get(row.clue_id)?.push({ assignmentId: row.assignment_id, unitId: row.unit_id, state: row.state });
  }
  return leads;
}

export async function setAssignmentState(tx: Queryable, assignmentId: string, state: AssignmentState, now: Date): Promise<void> {
  await tx.query("update assignments set state = $2, updated_at = $3 where assignment_id = $1", [assignmentId, state, now]);
}

export async function setClueState(tx: Queryable, clueId: string, state: ClueState, now: Date): Promise<void> {
  await tx.query("update clues set state = $2, updated_at = $3 where clue_id = $1", [clueId, state, now]);
}

/** Makes a clue visible to a unit (DESIGN §8) with a role, and puts it on the unit's stream the first time. */
export async function showClueTo(tx: Queryable, options: { clueId: string; unitId: string; role: string }): Promise<void> {
  await showCluesTo(tx, { clueIds: [options.clueId], unitId: options.unitId, role: options.role });
}

/** {@link showClueTo} for many clues in one statement (the scan's supervision orders). */
export async function showCluesTo(
  tx: Queryable,
  options: { clueIds: readonly string[]; unitId: string; role: string },
): Promise<void> {
  await tx.query(
    `insert into clue_units (clue_id, unit_id, roles)
     select distinct c, $2, array[$3::text] from unnest($1::text[]) as x(c)
     on conflict (clue_id, unit_id) do update
       set roles = case when $3 = any(clue_units.roles) then clue_units.roles else array_append(clue_units.roles, $3::text) end`,
    [options.clueIds, options.unitId, options.role],
  );
}
