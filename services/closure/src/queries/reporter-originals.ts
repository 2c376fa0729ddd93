import { SealedIdentity } from "@clueline/contracts";
import type { Queryable } from "@clueline/db";
import { z } from "zod";
import { Jsonb } from "./row-types.js";

const Sealed = Jsonb.pipe(SealedIdentity);
const SealedReporterRow = z.object({
  complaint_id: z.string(),
  reporter_identity: Sealed.nullable(),
  sealed_original: Sealed.nullable(),
});
const SealedSupplementRow = z.object({ complaint_id: z.string(), sealed_original: Sealed });

/** A reporter's sealed identity and original text; the seals are bound to `complaintId` (DESIGN §8). */
export interface SealedReporter {
  complaintId: string;
  /** Null for an anonymous reporter. */
  identity: SealedIdentity | null;
  /** The original of the free text the edge scrubbed; null when the edge sealed none. */
  original: SealedIdentity | null;
}

/**
 * The sealed reporter of a clue, or null for no such clue. Only the `/reporter` route reads it, after
 * deciding access and before auditing the read.
 */
export async function readSealedReporter(db: Queryable, clueId: string): Promise<SealedReporter | null> {
  const { rows } = await db.query("select reporter_identity, sealed_original, complaint_id from clues where clue_id = $1", [
    clueId,
  ]);
  if (!rows[0]) return null;
  const row = SealedReporterRow.parse(rows[0]);
  return { complaintId: row.complaint_id, identity: row.reporter_identity, original: row.sealed_original };
}

/** The sealed originals of the complaints merged into a clue as supplements, in the order they came. */
export async function readSealedSupplementOriginals(
  db: Queryable,
  clueId: string,
): Promise<{ complaintId: string; original: SealedIdentity }[]> {
  const { rows } = await db.query(
    "select complaint_id, sealed_original from clue_supplements where clue_id = $1 order by supplemented_at, complaint_id",
    [clueId],
  );
  return rows.map((raw) => {
    const row = SealedSupplementRow.parse(raw);
    return { complaintId: row.complaint_id, original: row.sealed_original };
  });
}
