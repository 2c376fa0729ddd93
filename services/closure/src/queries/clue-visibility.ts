import type { Queryable } from "@clueline/db";
import { z } from "zod";

/** Which clues a caller may see (DESIGN §8): all for the commission, else those of its units. */
export type Visibility = { all: true } | { all: false; units: string[] };

/**
 * Whether a clue exists that the caller may see: any clue for the commission, else one indexed for its units.
 *
 * @example
 * if (!(await isClueVisible(db, { clueId, visibility: { all: false, units: ["town-chengguan"] } }))) throw notFound("clue");
 */
export async function isClueVisible(db: Queryable, input: { clueId: string; visibility: Visibility }): Promise<boolean> {
  const { clueId, visibility } = input;
  const { rows } = visibility.all
    ? await db.query("select 1 from clues where clue_id = $1", [clueId])
    : await db.query("select 1 from unit_clues where clue_id = $1 and unit_id = any($2::text[])", [clueId, visibility.units]);
  return rows.length > 0;
}

/** Whether the clue reaches the unit (as lead, assist, informed or supervisor). */
export async function isClueOfUnit(db: Queryable, input: { clueId: string; unitId: string }): Promise<boolean> {
  const { rows } = await db.query("select 1 from unit_clues where clue_id = $1 and unit_id = $2", [input.clueId, input.unitId]);
  return rows.length > 0;
}

const UnitPartRow = z.object({ working: z.boolean() });

/**
 * How the unit takes part in the clue: null if the clue does not reach it, else whether it works on it (holds an
 * assignment, as lead or assist) or only reads it (informed).
 */
export async function readUnitPart(
  db: Queryable,
  input: { clueId: string; unitId: string },
): Promise<{ working: boolean } | null> {
  const { rows } = await db.query(
    `select exists (select 1 from assignments a where a.clue_id = u.clue_id and a.unit_id = u.unit_id) as working
     from unit_clues u where u.clue_id = $1 and u.unit_id = $2`,
    [input.clueId, input.unitId],
  );
  return rows[0] ? UnitPartRow.parse(rows[0]) : null;
}
