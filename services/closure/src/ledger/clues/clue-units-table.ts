import { insertFromJson, jsonRecordset, type Queryable } from "@clueline/db";
import { unpositionAssignmentsSql } from "../assignments/assignments-table.js";

/**
 * The `clue_units` table: who may see a clue (DESIGN §8), each unit once with its roles, and the unit's stream
 * position (`seq`) with why the clue is at it. Every write to it is here. Since migration 020 a unit whose only
 * role on a clue is the one of the assignment an opening gave it has no row here: that assignment holds its
 * position (`stream_seq`) and readers read both as `unit_clues`. A unit is in one of the two only: the writes below
 * move a unit's position from its assignment into a row here whenever the row would need more than the assignment says.
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

/**
 * The stream positions of an opening batch, `(n, seq)` for n = 1..`count` in rising order, taken from clue_units'
 * sequence in one scan so that the rows here and the positioned assignments get them in the plan's order (a
 * unit's stream lists a batch's clues in batch order, as when every position was a row here). Materialized: each
 * position is drawn once.
 */
export function streamPositionsSql(count: string): string {
  return `select n, nextval('clue_units_seq_seq') as seq from generate_series(1, ${count}) as n`;
}

/** The insert of an opening's visibility rows, each with `stream_pos`: its number in `positions` (`(n, seq)`). */
export function insertPositionedClueUnitsFrom(parameter: string, positions: string): string {
  return `insert into clue_units (clue_id, unit_id, roles, seq) overriding system value
    select r.clue_id, r.unit_id, r.roles, p.seq
    from ${jsonRecordset(parameter, { clue_id: "text", unit_id: "text", roles: "text[]", stream_pos: "integer" })}
    join ${positions} p on p.n = r.stream_pos`;
}

/** Makes a clue visible to a unit with a role, and puts it on the unit's stream the first time. */
export async function showClueTo(tx: Queryable, options: { clueId: string; unitId: string; role: string }): Promise<void> {
  await showCluesTo(tx, { clueIds: [options.clueId], unitId: options.unitId, role: options.role });
}

/**
 * {@link showClueTo} for many clues in one statement (the scan's supervision orders). A unit whose position is on
 * its assignment keeps it when the role is that assignment's; given another role it moves into a row here at the
 * same position, its roles in the order it got them (the assignment's, then this one), as an existing row would
 * have appended it.
 */
export async function showCluesTo(
  tx: Queryable,
  options: { clueIds: readonly string[]; unitId: string; role: string },
): Promise<void> {
  const moving = "select clue_id from positioned where role <> $3::text";
  await tx.query(
    `with positioned as (
       select a.clue_id, a.role, a.stream_seq from assignments a
       where a.clue_id = any($1::text[]) and a.unit_id = $2 and a.stream_seq is not null),
     moved as (${unpositionAssignmentsSql({ clueIds: moving, unitIds: "array[$2::text]" })})
     insert into clue_units (clue_id, unit_id, roles, seq) overriding system value
     select x.c, $2, case when p.role is null then array[$3::text] else array[p.role, $3::text] end,
       coalesce(p.stream_seq, nextval('clue_units_seq_seq'))
     from (select distinct c from unnest($1::text[]) as c) as x left join positioned p on p.clue_id = x.c
     where p.role is distinct from $3::text
     on conflict (clue_id, unit_id) do update
       set roles = case when $3 = any(clue_units.roles) then clue_units.roles else array_append(clue_units.roles, $3::text) end`,
    [options.clueIds, options.unitId, options.role],
  );
}

/**
 * Puts a clue at the head of each given unit's stream and list again, saying why (`stream_reason`). A unit whose
 * position is on its assignment moves into a row here (the assignment has no reason to hold).
 */
export async function restreamClue(
  tx: Queryable,
  options: { clueId: string; unitIds: readonly string[]; reason: string },
): Promise<void> {
  await tx.query(
    `with moved as (${unpositionAssignmentsSql({ clueIds: "$1", unitIds: "$2::text[]" })}),
       restreamed as (
         update clue_units set seq = default, stream_reason = $3 where clue_id = $1 and unit_id = any($2::text[]))
     insert into clue_units (clue_id, unit_id, roles, stream_reason)
     select clue_id, unit_id, array[role], $3 from moved`,
    [options.clueId, options.unitIds, options.reason],
  );
}
