import type { Queryable } from "@clueline/db";
import { z } from "zod";

/** One recorded classification as `GET /v1/classifications` writes it: the pair [text, category] and when. */
export interface ClassificationLine {
  id: string;
  text: string;
  category: string;
  classifiedAt: string;
}

const Row = z.object({
  clue_id: z.string(),
  text: z.string(),
  category: z.string(),
  classified_at: z.union([z.date(), z.string()]),
});

/**
 * The recorded classifications, oldest first (ties by clue id), from `since` on when given.
 *
 * @example
 * const lines = await readClassifications(db, { since: new Date("2026-01-01T00:00:00Z") });
 */
export async function readClassifications(db: Queryable, options: { since: Date | null }): Promise<ClassificationLine[]> {
  const { rows } = await db.query(
    `select clue_id, text, category, classified_at from classifications
     where $1::timestamptz is null or classified_at >= $1::timestamptz order by classified_at, clue_id`,
    [options.since],
  );
  return rows.map((raw) => {
    const row = Row.parse(raw);
    return { id: row.clue_id, text: row.text, category: row.category, classifiedAt: new Date(row.classified_at).toISOString() };
  });
}
