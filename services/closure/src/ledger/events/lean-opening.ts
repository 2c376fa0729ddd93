import type { AssignmentRow } from "../assignments/assignments-table.js";
import type { OpenedClueRow } from "../clues/clues-table.js";
import type { FoldedAssigned } from "./fold-assigned.js";

/**
 * The rows a batch of openings writes beside their log rows (`apply-routed-batch.ts`), by clue and by assignment id:
 * what an opening's log row may leave to them (migration 018).
 */
export interface OpeningRows {
  clues: ReadonlyMap<string, OpenedClueRow>;
  assignments: ReadonlyMap<string, AssignmentRow>;
}

/** Indexes the clue and assignment rows a batch of openings writes. */
export function openingRowsOf(written: { clues: readonly OpenedClueRow[]; assignments: readonly AssignmentRow[] }): OpeningRows {
  return {
    clues: new Map(written.clues.map((clue) => [clue.clue_id, clue])),
    assignments: new Map(written.assignments.map((row) => [row.assignment_id, row])),
  };
}

/**
 * A `clue.opened` payload (as `storedPayload` leaves it) without the facts its clue row holds for good: the
 * complaint, channel, reporter kind and time received, columns no statement updates once the clue is opened (a
 * trigger of migration 018 refuses it). Each key leaves only when `ledger_log` gives back exactly its value: the time
 * received only in the form `toISOString()` writes, which the view writes from `received_at`; any other form stays.
 * About 140 B of jsonb per opening. Nature, categories, subjects and transfer stay: a re-routing changes the clue's.
 */
export function leanOpening(stored: Record<string, unknown>, clue: OpenedClueRow): Record<string, unknown> {
  const lean: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(stored)) if (!heldByClue(key, value, clue)) lean[key] = value;
  return lean;
}

/** Whether `ledger_log` gives `key` of an opening back as `value` from its clue row. */
function heldByClue(key: string, value: unknown, clue: OpenedClueRow): boolean {
  switch (key) {
    case "complaintId":
      return value === clue.complaint_id;
    case "channel":
      return value === clue.channel;
    case "reporterKind":
      return value === clue.reporter_kind;
    case "receivedAt":
      return value === clue.received_at && isIsoUtcMillis(value);
    default:
      return false;
  }
}

/** A folded `assignment.assigned` as its opening's row stores it. */
export type StoredAssigned = Partial<FoldedAssigned> & { eventId: string; assignmentId?: string };

/**
 * A folded `assignment.assigned` without what its assignment row holds for good: the assignment (id, unit, role,
 * track) and its cause, columns no statement updates (migration 018's trigger). It keeps its event id, the
 * assignment's id (which row to read) and its due dates, which extensions and the calendar move later on the row.
 * About 100 B of jsonb per assignment. Without its row in `rows` it is stored whole, as before.
 */
export function leanAssigned(folded: FoldedAssigned, rows: OpeningRows): StoredAssigned {
  const { assignment, cause } = folded;
  const row = rows.assignments.get(assignment.assignmentId);
  if (!row) return folded;
  const stored: StoredAssigned = { eventId: folded.eventId, assignmentId: assignment.assignmentId };
  if (row.unit_id !== assignment.unitId || row.role !== assignment.role || row.track !== assignment.track) {
    stored.assignment = assignment;
  }
  if (row.cause !== cause) stored.cause = cause;
  stored.acceptDueOn = folded.acceptDueOn;
  stored.concludeDueOn = folded.concludeDueOn;
  return stored;
}

/** What `to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` writes, as `toISOString()` does for years 0–9999. */
function isIsoUtcMillis(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value) && new Date(value).toISOString() === value;
}
