import { insertFromJson } from "@clueline/db";

/**
 * The `clue_supplements` table: each complaint merged into a clue (rule 8) whose text the edge scrubbed, with its
 * sealed original, for those who may open the identity. Written only as the supplement is applied.
 */

/** A row of `clue_supplements`: a merged complaint's text as written, sealed and bound to that complaint's id. */
export interface SupplementRow {
  complaint_id: string;
  clue_id: string;
  sealed_original: unknown;
  supplemented_at: string;
}

/** The insert of supplements from a jsonb array of {@link SupplementRow}s, alone or in a CTE; a redelivery adds none. */
export function insertSupplementsFrom(parameter: string): string {
  const columns = { complaint_id: "text", clue_id: "text", sealed_original: "jsonb", supplemented_at: "timestamptz" } as const;
  return `${insertFromJson("clue_supplements", parameter, columns)} on conflict (complaint_id) do nothing`;
}
