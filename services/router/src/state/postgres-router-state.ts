import { RoutingDecision } from "@clueline/contracts";
import type { SubjectKey } from "../routing/history.js";
import type { Database, Queryable } from "./database.js";
import { quoteSchema } from "./migrate-router-schema.js";
import type { RouterState, RouterStateTransaction } from "./router-state.js";

/**
 * Router state in PostgreSQL (or PGlite), in its own schema; run `migrateRouterSchema` first. Exact under
 * redelivery: the decision, its clue and its subject rows are written in the transaction that read the
 * history, and `decisions.complaint_id` is unique, so a second delivery returns the first decision.
 *
 * @example
 * const db = fromPgPool(pool);             // or a PGlite instance as it is
 * await migrateRouterSchema({ db, schema: "router" });
 * const state = createPostgresRouterState({ db, schema: "router" });
 */
export function createPostgresRouterState(params: { db: Database; schema: string }): RouterState {
  const s = quoteSchema(params.schema);

  async function getDecision(db: Queryable, complaintId: string): Promise<RoutingDecision | null> {
    const { rows } = await db.query<{ decision: unknown }>(`SELECT decision FROM ${s}.decisions WHERE complaint_id = $1`, [
      complaintId,
    ]);
    const row = rows[0];
    // The column is jsonb; a driver may hand back a string (pg) or an object (PGlite).
    return row ? RoutingDecision.parse(typeof row.decision === "string" ? JSON.parse(row.decision) : row.decision) : null;
  }

  function transaction(tx: Queryable): RouterStateTransaction {
    return {
      getDecision: (complaintId) => getDecision(tx, complaintId),
      async lock(keys) {
        // Sorted, so two transactions wanting overlapping keys always take them in the same order.
        for (const key of [...new Set(keys)].sort()) {
          await tx.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`clueline-router:${params.schema}:${key}`]);
        }
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
        const { rows } = await tx.query<{ subject: string; clues: number }>(
          `SELECT subject, count(*)::int AS clues FROM ${s}.clue_subjects
            WHERE subject = ANY($1::text[]) AND opened_at >= $2::timestamptz GROUP BY subject`,
          [[...subjects], since],
        );
        const counts = new Map<SubjectKey, number>(subjects.map((subject) => [subject, 0]));
        for (const row of rows) counts.set(row.subject as SubjectKey, Number(row.clues));
        return counts;
      },
      async recordDecision({ decision, openedAt, reporterHash, subjects }) {
        const inserted = await tx.query<{ complaint_id: string }>(
          `INSERT INTO ${s}.decisions (complaint_id, decision_id, clue_id, merged_into, decision, decided_at)
           VALUES ($1, $2, $3, $4, $5::jsonb, $6::timestamptz)
           ON CONFLICT (complaint_id) DO NOTHING RETURNING complaint_id`,
          [
            decision.complaintId,
            decision.decisionId,
            decision.clueId,
            decision.mergedInto,
            JSON.stringify(decision),
            decision.decidedAt,
          ],
        );
        if (inserted.rows.length === 0) {
          // A concurrent delivery committed first (ON CONFLICT waited for it): its decision is the decision.
          const stored = await getDecision(tx, decision.complaintId);
          if (stored) return { decision: stored, duplicate: true };
          throw new Error(`decision for complaint ${decision.complaintId} conflicted but cannot be read`);
        }
        if (decision.mergedInto === null) {
          await tx.query(
            `INSERT INTO ${s}.clues (clue_id, complaint_id, opened_at, reporter_hash) VALUES ($1, $2, $3::timestamptz, $4)`,
            [decision.clueId, decision.complaintId, openedAt, reporterHash],
          );
          if (subjects.length > 0) {
            await tx.query(
              `INSERT INTO ${s}.clue_subjects (subject, opened_at, clue_id) SELECT unnest($1::text[]), $2::timestamptz, $3`,
              [[...new Set(subjects)], openedAt, decision.clueId],
            );
          }
        }
        return { decision, duplicate: false };
      },
    };
  }

  return {
    withTransaction: (work) => params.db.transaction((tx) => work(transaction(tx))),
    getDecision: (complaintId) => getDecision(params.db, complaintId),
  };
}
