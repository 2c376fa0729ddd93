import type { Queryable } from "@clueline/db";
import { z } from "zod";

const OwnerRow = z.object({ unit_id: z.string(), clue_id: z.string() });

/**
 * The unit that holds an assignment and its clue, or null for no such assignment; callers check the unit is theirs.
 *
 * @example
 * const owner = await readAssignmentOwner(db, assignmentId);
 * if (!owner || !unitsOf(caller).includes(owner.unitId)) throw notFound("assignment");
 */
export async function readAssignmentOwner(
  db: Queryable,
  assignmentId: string,
): Promise<{ unitId: string; clueId: string } | null> {
  const { rows } = await db.query("select unit_id, clue_id from assignments where assignment_id = $1", [assignmentId]);
  if (!rows[0]) return null;
  const row = OwnerRow.parse(rows[0]);
  return { unitId: row.unit_id, clueId: row.clue_id };
}
