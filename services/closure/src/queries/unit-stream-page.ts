import type { Queryable } from "@clueline/db";
import { z } from "zod";
import { ClueSummaryRow, summaryColumns, toClueSummary } from "./clue-summaries.js";
import type { ClueSummary } from "./views.js";

const StreamRow = ClueSummaryRow.extend({
  roles: z.array(z.string()),
  stream_reason: z.string().nullable(),
  stream_seq: z.string(),
});

/** A clue as it reaches a unit's stream: its summary, why it came (again), and its position in the stream. */
export interface StreamedClue {
  /** The unit's stream position (`unit_clues.seq`), the SSE event id. */
  position: string;
  /** `reason` is null on a clue's first arrival, e.g. `reopened-by-supplement` when it gives the unit work again. */
  clue: ClueSummary & { reason: string | null };
}

/**
 * The next clues to reach a unit after stream position `after`, in stream order, at most `limit`.
 *
 * @example
 * const page = await readUnitStreamPage(db, { unitId: "town-chengguan", after: "0", limit: 100 });
 */
export async function readUnitStreamPage(
  db: Queryable,
  options: { unitId: string; after: string; limit: number },
): Promise<StreamedClue[]> {
  // A unit's clues are in two tables (migration 020): each is read by its own index in stream order and the two
  // pages merged; a union view of both would sort all of the unit's rows instead.
  const page = (table: string) =>
    `select ${summaryColumns}, cu.roles, cu.stream_reason, cu.seq as position from ${table} cu
     join clues c on c.clue_id = cu.clue_id
     where cu.unit_id = $1 and cu.seq > $2::bigint order by cu.seq limit $3`;
  const { rows } = await db.query(
    `select merged.*, merged.position::text as stream_seq
     from ((${page("clue_units")}) union all (${page("positioned_assignments")})) as merged order by merged.position limit $3`,
    [options.unitId, options.after, options.limit],
  );
  return rows.map((raw) => {
    const row = StreamRow.parse(raw);
    return { position: row.stream_seq, clue: { ...toClueSummary(row, row.roles), reason: row.stream_reason } };
  });
}
