import type { RoutingDecision } from "@clueline/contracts";
import { type Database, type Queryable, quoteSchema } from "@clueline/db";
import type { SubjectKey } from "../routing/history.js";
import {
  countedDaysFrom,
  nextDay,
  openingIfNoDecision,
  parseStoredDecision,
  readBatch,
  readOpenings,
  recordDecisions,
} from "./postgres-batch-statements.js";
import type { RecordOutcome, RouterState, RouterStateTransaction } from "./router-state.js";

/**
 * Router state in PostgreSQL (or PGlite), in its own schema, migrated (`openRouterDatabase`). Exact under
 * redelivery: the decision, its clue and its subject rows are written in the transaction that read the
 * history, and `decisions.complaint_id` is unique, so a second delivery returns the first decision. One complaint
 * at a time uses the per-question reads; a batch reads and writes set-based (see `postgres-batch-statements.ts`).
 *
 * @example
 * const db = await openRouterDatabase({ url: process.env.DATABASE_URL, dataDir: "memory://", schema: "router" });
 * const state = createPostgresRouterState({ db, schema: "router" });
 */
export function createPostgresRouterState(params: { db: Database; schema: string }): RouterState {
  const s = quoteSchema(params.schema);

  async function getDecision(db: Queryable, complaintId: string): Promise<RoutingDecision | null> {
    const { rows } = await db.query<{ decision: unknown; opening: unknown }>(
      `SELECT d.decision, ${openingIfNoDecision(s, "d")} AS opening FROM ${s}.decisions d WHERE d.complaint_id = $1`,
      [complaintId],
    );
    const row = rows[0];
    return row ? parseStoredDecision(row) : null;
  }

  function transaction(tx: Queryable): RouterStateTransaction {
    return {
      getDecision: (complaintId) => getDecision(tx, complaintId),
      async lock(keys) {
        if (keys.length === 0) return;
        // Sorted, so two transactions wanting overlapping keys always take them in the same order; one statement,
        // whose function scan yields the array in order, so the locks are still taken one after the other.
        const sorted = [...new Set(keys)].sort().map((key) => `clueline-router:${params.schema}:${key}`);
        await tx.query("SELECT count(pg_advisory_xact_lock(hashtextextended(key, 0))) FROM unnest($1::text[]) AS key", [sorted]);
      },
      async findMergeTarget({ reporterHash, subjects, since }) {
        const { rows } = await tx.query<{ clue_id: string; opened_at: string | Date; subjects: string[] }>(
          `SELECT c.clue_id, c.opened_at, array_agg(all_s.subject ORDER BY all_s.subject) AS subjects
             FROM ${s}.clues c
             JOIN ${s}.clue_subjects all_s ON all_s.clue_id = c.clue_id
            WHERE c.reporter_hash = $1 AND c.opened_at >= $2::timestamptz
              AND EXISTS (SELECT 1 FROM ${s}.clue_subjects m WHERE m.clue_id = c.clue_id AND m.subject = ANY($3::text[]))
            GROUP BY c.clue_id, c.opened_at
            ORDER BY c.opened_at DESC, c.clue_id DESC
            LIMIT 1`,
          [reporterHash, since, [...subjects]],
        );
        const row = rows[0];
        if (!row) return null;
        return { clueId: row.clue_id, openedAt: new Date(row.opened_at).toISOString(), subjects: row.subjects as SubjectKey[] };
      },
      async countRecentClues({ subjects, since }) {
        // The rows of the day the window starts in, then the days' counts after it (see migration 3).
        const { rows } = await tx.query<{ subject: string; clues: number }>(
          `SELECT k.subject, ((SELECT count(*) FROM ${s}.clue_subjects
              WHERE subject = k.subject AND opened_at >= $2::timestamptz AND opened_at < $3::timestamptz)
              + ${countedDaysFrom(s, "k.subject", "$3")})::int AS clues
             FROM unnest($1::text[]) AS k(subject)`,
          [[...new Set(subjects)], since, nextDay(since)],
        );
        const counts = new Map<SubjectKey, number>(subjects.map((subject) => [subject, 0]));
        for (const row of rows) counts.set(row.subject as SubjectKey, Number(row.clues));
        return counts;
      },
      readBatch: (query) => readBatch({ tx, schema: s, query }),
      recordDecision: async (record) => (await recordDecisions({ tx, schema: s, records: [record] }))[0] as RecordOutcome,
      recordDecisions: (records) => recordDecisions({ tx, schema: s, records }),
      readOpenings: (clueIds) => readOpenings({ tx, schema: s, clueIds }),
    };
  }

  return {
    withTransaction: (work) => params.db.transaction((tx) => work(transaction(tx))),
    getDecision: (complaintId) => getDecision(params.db, complaintId),
  };
}
