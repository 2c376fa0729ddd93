import { AssignmentCause, AssignmentState } from "@clueline/contracts";
import type { Queryable } from "@clueline/db";
import type { Caller } from "@clueline/kit";
import { unitsOf } from "@clueline/kit";
import { z } from "zod";
import { type CluePart, decideReporterAccess, type ReporterAccess, type ReporterClueFacts } from "./reporter-access.js";

const ClueRow = z.object({
  departments: z.array(z.string()),
  transfer_to: z.string().nullable(),
  transfer_also: z.array(z.string()),
  call_back_due: z.boolean(),
});
const AssignmentRow = z.object({
  unit_id: z.string(),
  role: z.enum(["lead", "assist"]),
  track: z.enum(["discipline", "service"]),
  state: AssignmentState,
  cause: AssignmentCause,
});

/**
 * Reads what {@link decideReporterAccess} needs about one clue from the ledger, and decides. Nothing is read for a
 * caller without `pii:read`.
 *
 * @example
 * const access = await readReporterAccess(db, { caller, clueId });
 * if (!access.allowed) throw access.status === 403 ? forbidden("requires pii:read") : notFound("clue");
 */
export async function readReporterAccess(db: Queryable, input: { caller: Caller; clueId: string }): Promise<ReporterAccess> {
  const { caller, clueId } = input;
  if (!caller.scopes.has("pii:read")) return decideReporterAccess({ caller, clue: null, disciplineBodies: new Set() });
  const clue = await readClueFacts(db, clueId);
  // Only a lead that came by a unit's transfer needs its unit's kind looked up.
  const units = unitsOf(caller);
  const transferred = clue?.parts.filter((p) => p.cause === "transfer" && units.includes(p.unitId)).map((p) => p.unitId) ?? [];
  const disciplineBodies = transferred.length > 0 ? await routedDisciplineBodies(db, transferred) : new Set<string>();
  return decideReporterAccess({ caller, clue, disciplineBodies });
}

async function readClueFacts(db: Queryable, clueId: string): Promise<ReporterClueFacts | null> {
  const { rows } = await db.query(
    `select departments, transfer_to, transfer_also,
       exists (select 1 from call_backs b where b.clue_id = c.clue_id and b.state = 'due') as call_back_due
     from clues c where clue_id = $1`,
    [clueId],
  );
  if (!rows[0]) return null;
  const clue = ClueRow.parse(rows[0]);
  const assignments = await db.query("select unit_id, role, track, state, cause from assignments where clue_id = $1", [clueId]);
  const informed = await db.query<{ unit_id: string }>(
    "select unit_id from unit_clues where clue_id = $1 and 'informed' = any(roles)",
    [clueId],
  );
  const outside = (unitId: string, role: "lead" | "assist"): CluePart => ({
    unitId,
    track: "transfer",
    role,
    state: null,
    cause: null,
  });
  const parts: CluePart[] = [
    ...assignments.rows.map((row) => {
      const a = AssignmentRow.parse(row);
      return { unitId: a.unit_id, track: a.track, role: a.role, state: a.state, cause: a.cause };
    }),
    ...informed.rows.map(
      (row): CluePart => ({ unitId: String(row.unit_id), track: null, role: "informed", state: null, cause: null }),
    ),
    ...(clue.transfer_to ? [outside(clue.transfer_to, "lead")] : []),
    ...clue.transfer_also.map((unitId) => outside(unitId, "assist")),
  ];
  return { parts, subjects: clue.departments, callBackDue: clue.call_back_due };
}

/**
 * Those of `units` the router ever put on a discipline track (or escalation gave one): discipline bodies. The set is
 * kept as such by a trigger on assignments (the discipline_bodies migration), so no index of assignments by unit is needed for it.
 */
async function routedDisciplineBodies(db: Queryable, units: string[]): Promise<Set<string>> {
  const { rows } = await db.query<{ unit_id: string }>("select unit_id from discipline_bodies where unit_id = any($1::text[])", [
    units,
  ]);
  return new Set(rows.map((row) => String(row.unit_id)));
}
