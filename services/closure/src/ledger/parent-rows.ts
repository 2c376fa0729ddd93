import type { Queryable } from "@clueline/db";

/**
 * Rows whose parent the ledger lacks, for the links migration 16 stopped checking on every write (assignments,
 * clocks and visibility rows name their clue, clocks their assignment), counted per link; every count is 0 in a
 * sound ledger. Checked as each closure integration test's database is dropped, and by the fault test's audit.
 *
 * @example
 * expect(await rowsWithoutParent(db)).toEqual(noRowsWithoutParent);
 */
export async function rowsWithoutParent(db: Queryable): Promise<Record<ParentLink, number>> {
  const { rows } = await db.query<{ link: ParentLink; n: string | number }>(
    `select 'assignment → clue' as link, count(*) as n from assignments a
      where not exists (select 1 from clues c where c.clue_id = a.clue_id)
     union all
     select 'clock → clue', count(*) from deadlines d where not exists (select 1 from clues c where c.clue_id = d.clue_id)
     union all
     select 'clock → assignment', count(*) from deadlines d
      where d.assignment_id is not null and not exists (select 1 from assignments a where a.assignment_id = d.assignment_id)
     union all
     select 'visibility → clue', count(*) from clue_units u where not exists (select 1 from clues c where c.clue_id = u.clue_id)`,
  );
  return Object.fromEntries(rows.map((row) => [row.link, Number(row.n)])) as Record<ParentLink, number>;
}

export type ParentLink = "assignment → clue" | "clock → clue" | "clock → assignment" | "visibility → clue";

export const noRowsWithoutParent: Record<ParentLink, number> = {
  "assignment → clue": 0,
  "clock → clue": 0,
  "clock → assignment": 0,
  "visibility → clue": 0,
};
