import { insertFromJson, type Queryable } from "@clueline/db";

/**
 * The `clue_units` table: who may see a clue (DESIGN §8), each unit once with its roles, and the unit's stream
 * position (`seq`) with why the clue is at it. Every write to it is here.
 */

/** A visibility row as an opening plans it: each unit once, with its roles in the order they were given. */
export interface ClueUnitRow {
  clue_id: string;
  unit_id: string;
  roles: string[];
}

/** The insert of new clues' visibility rows from a jsonb array of {@link ClueUnitRow}s, alone or in a CTE. */
export function insertClueUnitsFrom(parameter: string): string {
  return insertFromJson("clue_units", parameter, { clue_id: "text", unit_id: "text", roles: "text[]" });
}

/** Makes a clue visible to a unit with a role, and puts it on the unit's stream the first time. */
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

/** Puts a clue at the head of each given unit's stream and list again, saying why (`stream_reason`). */
export async function restreamClue(
  tx: Queryable,
  options: { clueId: string; unitIds: readonly string[]; reason: string },
): Promise<void> {
  await tx.query("update clue_units set seq = default, stream_reason = $3 where clue_id = $1 and unit_id = any($2::text[])", [
    options.clueId,
    options.unitIds,
    options.reason,
  ]);
}
