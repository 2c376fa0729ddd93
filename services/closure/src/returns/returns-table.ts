import type { Queryable } from "@clueline/db";
import { z } from "zod";
import type { ReturnKind } from "./returns-rules.js";

/**
 * The `returns` table (退回 and the discipline lead's 不予受理 under review): every write to it, and the reads the
 * ledger's steps take under the clue's lock. The commission's list reads it in `read-returns.ts`.
 */

/** A return as a decision reads it, under its lock. */
export const LockedReturnRow = z.object({
  assignment_id: z.string(),
  kind: z.enum(["return", "reject"]),
  state: z.enum(["pending", "upheld", "reassigned"]),
});
export type LockedReturn = z.infer<typeof LockedReturnRow>;

/** The assignment a return is about; undefined for an unknown return. Read before the locks, to know what to lock. */
export async function assignmentOfReturn(tx: Queryable, returnId: string): Promise<string | undefined> {
  const { rows } = await tx.query("select assignment_id from returns where return_id = $1", [returnId]);
  return rows[0] ? z.string().parse(rows[0].assignment_id) : undefined;
}

/** Locks a return for its decision; take the clue's and the assignment's locks first. */
export async function lockReturn(tx: Queryable, returnId: string): Promise<LockedReturn | undefined> {
  const { rows } = await tx.query("select assignment_id, kind, state from returns where return_id = $1 for update", [returnId]);
  return rows[0] ? LockedReturnRow.parse(rows[0]) : undefined;
}

/** Whether the commission upheld a return of this assignment before (then the unit must handle it). */
export async function upheldBefore(tx: Queryable, assignmentId: string): Promise<boolean> {
  const { rows } = await tx.query("select 1 from returns where assignment_id = $1 and state = 'upheld' limit 1", [assignmentId]);
  return rows.length > 0;
}

/** Opens a pending return of a unit's assignment, with its (scrubbed) reason. */
export async function openReturn(
  tx: Queryable,
  row: {
    returnId: string;
    clueId: string;
    assignmentId: string;
    unitId: string;
    kind: ReturnKind;
    reason: string;
    by: string;
    at: Date;
  },
): Promise<void> {
  await tx.query(
    `insert into returns (return_id, clue_id, assignment_id, unit_id, kind, reason, state, returned_by, returned_at)
     values ($1, $2, $3, $4, $5, $6, 'pending', $7, $8)`,
    [row.returnId, row.clueId, row.assignmentId, row.unitId, row.kind, row.reason, row.by, row.at],
  );
}

/** Records the commission's decision on a return. */
export async function recordReturnDecision(
  tx: Queryable,
  decision: {
    returnId: string;
    state: "upheld" | "reassigned";
    by: string;
    at: Date;
    note: string | null;
    reassignedTo: string | null;
    newAssignmentId: string | null;
  },
): Promise<void> {
  await tx.query(
    `update returns set state = $2, decided_by = $3, decided_at = $4, decision_note = $5, reassigned_to = $6,
       new_assignment_id = $7
     where return_id = $1`,
    [decision.returnId, decision.state, decision.by, decision.at, decision.note, decision.reassignedTo, decision.newAssignmentId],
  );
}
