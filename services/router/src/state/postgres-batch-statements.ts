import { RoutingDecision } from "@clueline/contracts";
import type { Queryable } from "@clueline/db";
import { z } from "zod";
import type { SubjectKey } from "../routing/history.js";
import { compressRouted, decompressRouted } from "./compressed-routed.js";
import type { BatchQuery, BatchSnapshot, DecisionRecord, HistoryRows, RecordOutcome } from "./router-state.js";

/**
 * The set-based statements of the Postgres router state: one read and (without a concurrent redelivery) one write
 * per batch, whatever its size. A batch holds its locks across them, so every round trip counts twice: it keeps
 * the batch waiting and every batch queued behind the same subjects.
 */
interface BatchStatementParams {
  tx: Queryable;
  /** The schema, already quoted. */
  schema: string;
}

/**
 * Stored decisions, repeat counts and reporter clues for a whole batch, as three subqueries of one statement.
 * Stored decisions are looked up one complaint id at a time (a lateral subquery the planner cannot flatten into a
 * join): as `complaint_id = ANY(…)`, the statement's cached plan, made while `decisions` was small and never analyzed,
 * scanned the whole table for every batch (21 ms a batch at 14,000 decisions under the system bench; migration 5's
 * smaller rows made the scan look cheap).
 * A reporter clue's subjects are a lateral subquery per clue, on `clue_subjects_clue`: as a join, the planner (misjudging
 * how many clues a batch's reporters have) hashed the whole of `clue_subjects` for each batch, a scan that grows
 * with the history (46,000 rows: 24 ms a batch).
 *
 * @example
 * const { decisions, history } = await readBatch({ tx, schema: '"router"', query: { complaintIds, history } });
 */
export async function readBatch(params: BatchStatementParams & { query: BatchQuery }): Promise<BatchSnapshot> {
  const { tx, schema: s, query } = params;
  const history = query.history;
  const subjects = [...new Set(history?.subjects ?? [])];
  const { rows } = await tx.query<{
    decisions: Record<string, [unknown, unknown]>;
    subjects: unknown[][];
    clues: unknown[][];
  }>(
    // Times as whole epoch ms, truncated: every window start is whole ms, so that never moves a clue across one.
    `SELECT
       (SELECT coalesce(jsonb_object_agg(d.complaint_id, jsonb_build_array(d.decision, ${openingIfNoDecision(s, "d")})), '{}')
          FROM unnest($1::text[]) AS k(complaint_id)
          CROSS JOIN LATERAL (SELECT * FROM ${s}.decisions WHERE complaint_id = k.complaint_id LIMIT 1) AS d) AS decisions,
       (SELECT coalesce(jsonb_agg(jsonb_build_array(subject, later, earlier)), '[]') FROM (
          SELECT k.subject, coalesce(r.later, 0) + ${countedDaysFrom(s, "k.subject", "$7")} AS later, coalesce(r.earlier, '{}') AS earlier
            FROM unnest($2::text[]) AS k(subject)
            CROSS JOIN LATERAL (
              SELECT count(*) FILTER (WHERE opened_at >= $4::timestamptz) AS later,
                     array_agg(${epochMs("opened_at")} ORDER BY opened_at) FILTER (WHERE opened_at < $4::timestamptz) AS earlier
                FROM ${s}.clue_subjects
               WHERE subject = k.subject AND opened_at >= $3::timestamptz AND opened_at < $7::timestamptz) AS r
          ) AS counted) AS subjects,
       (SELECT coalesce(jsonb_agg(jsonb_build_array(reporter_hash, clue_id, opened_ms, subjects)), '[]') FROM (
          SELECT c.reporter_hash, c.clue_id, ${epochMs("c.opened_at")} AS opened_ms, cs.subjects
            FROM ${s}.clues c
            CROSS JOIN LATERAL (SELECT array_agg(subject) AS subjects FROM ${s}.clue_subjects WHERE clue_id = c.clue_id) AS cs
           WHERE c.reporter_hash = ANY($5::text[]) AND c.opened_at >= $6::timestamptz AND cs.subjects IS NOT NULL) AS reported) AS clues`,
    [
      [...new Set(query.complaintIds)],
      subjects,
      history?.repeatSince.earliest ?? new Date(0).toISOString(),
      history?.repeatSince.latest ?? new Date(0).toISOString(),
      [...new Set(history?.reporterHashes ?? [])],
      history?.mergeSince ?? new Date(0).toISOString(),
      nextDay(history?.repeatSince.latest ?? new Date(0).toISOString()),
    ],
  );
  const row = rows[0] ?? { decisions: {}, subjects: [], clues: [] };
  const decisions = new Map(
    Object.entries(row.decisions).map(([id, [decision, opening]]) => [id, parseStoredDecision({ decision, opening })]),
  );
  if (!history) return { decisions, history: null };
  const countedFromLatest = new Map<SubjectKey, number>(subjects.map((subject) => [subject, 0]));
  const openedBeforeLatest = new Map<SubjectKey, number[]>(subjects.map((subject) => [subject, []]));
  for (const [subject, later, earlier] of row.subjects) {
    countedFromLatest.set(subject as SubjectKey, Number(later));
    openedBeforeLatest.set(subject as SubjectKey, (earlier as unknown[]).map(Number));
  }
  const reporterClues = row.clues.map(([reporterHash, clueId, openedMs, clueSubjects]) => ({
    reporterHash: String(reporterHash),
    clueId: String(clueId),
    openedAtMs: Number(openedMs),
    subjects: clueSubjects as SubjectKey[],
  }));
  return { decisions, history: { countedFromLatest, openedBeforeLatest, reporterClues } satisfies HistoryRows };
}

/**
 * Stores a batch of decisions with the clues they open. One statement when no complaint id was stored before
 * (the clue rows are written only if every decision was); otherwise the clues of the decisions stored now are
 * written by a second one, and the conflicting ids' stored decisions are read back.
 *
 * @example
 * const outcomes = await recordDecisions({ tx, schema: '"router"', records });
 */
export async function recordDecisions(
  params: BatchStatementParams & { records: readonly DecisionRecord[] },
): Promise<RecordOutcome[]> {
  const { tx, schema: s, records } = params;
  if (records.length === 0) return [];
  // The batch as one jsonb parameter: parsed once by the server, far cheaper than escaped arrays or json.
  const input = `SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(complaint_id text, clue_id text,
    merged_into text, decision jsonb, opened_at timestamptz, reporter_hash text, subjects text[], routed text, routed_deflated text)`;
  // Only columns a statement reads are written: `decisions.decision_id` (migration 5), `merged_into` and `decided_at`,
  // and `clues.complaint_id` are left null (the ids and times are in the stored decision, which every reader parses),
  // and a subject row names its clue only for a reporter's clue, the one kind looked up by it (migration 7).
  const insertClues = `INSERT INTO ${s}.clues (clue_id, opened_at, reporter_hash, routed, routed_deflated)
    SELECT clue_id, opened_at, reporter_hash, routed, decode(routed_deflated, 'base64') FROM input`;
  const insertSubjects = `INSERT INTO ${s}.clue_subjects (subject, opened_at, clue_id)
    SELECT unnest(subjects), opened_at, CASE WHEN reporter_hash IS NOT NULL THEN clue_id END FROM input`;
  // Clue rows are written through scalar guards, not a join on the insert's RETURNING: the planner cannot estimate
  // that, and its nested loop made the write quadratic in the batch size.
  const { rows } = await tx.query<{ complaint_id: string }>(
    `WITH input AS (${input}),
     stored AS (
       INSERT INTO ${s}.decisions (complaint_id, clue_id, decision) SELECT complaint_id, clue_id, decision FROM input
       ON CONFLICT (complaint_id) DO NOTHING RETURNING complaint_id),
     all_stored AS (SELECT (SELECT count(*) FROM stored) = (SELECT count(*) FROM input) AS yes),
     clues AS (${insertClues} WHERE merged_into IS NULL AND (SELECT yes FROM all_stored)),
     subjects AS (${insertSubjects} WHERE merged_into IS NULL AND (SELECT yes FROM all_stored))
     SELECT complaint_id FROM stored`,
    [jsonRecords(records)],
  );
  const storedNow = new Set(rows.map((row) => row.complaint_id));
  if (storedNow.size === records.length) return records.map(({ decision }) => ({ decision, duplicate: false }));

  // Concurrent deliveries committed first (ON CONFLICT waited for them): their decisions are the decisions.
  const opened = records.filter(({ decision }) => decision.mergedInto === null && storedNow.has(decision.complaintId));
  if (opened.length > 0) {
    await tx.query(`WITH input AS (${input}), clues AS (${insertClues}) ${insertSubjects}`, [jsonRecords(opened)]);
  }
  const conflicted = records.map(({ decision }) => decision.complaintId).filter((id) => !storedNow.has(id));
  const { decisions } = await readBatch({ tx, schema: s, query: { complaintIds: conflicted, history: null } });
  return records.map(({ decision }): RecordOutcome => {
    if (storedNow.has(decision.complaintId)) return { decision, duplicate: false };
    const stored = decisions.get(decision.complaintId);
    if (stored) return { decision: stored, duplicate: true };
    throw new Error(`decision for complaint ${decision.complaintId} conflicted but cannot be read`);
  });
}

/**
 * The stored opening `ClueRouted` texts of the given clues, in one statement.
 *
 * @example
 * const openings = await readOpenings({ tx, schema: '"router"', clueIds: ["01J…"] }); // Map clueId → JSON text
 */
export async function readOpenings(params: BatchStatementParams & { clueIds: readonly string[] }): Promise<Map<string, string>> {
  const { tx, schema: s } = params;
  const clueIds = [...new Set(params.clueIds)];
  if (clueIds.length === 0) return new Map();
  const { rows } = await tx.query(
    `SELECT clue_id, routed, routed_deflated FROM ${s}.clues
      WHERE clue_id = ANY($1::text[]) AND (routed IS NOT NULL OR routed_deflated IS NOT NULL)`,
    [clueIds],
  );
  return new Map(
    rows.map((row) => {
      const { clue_id, routed, routed_deflated } = StoredOpeningRow.parse(row);
      return [clue_id, routed ?? decompressRouted(routed_deflated as Uint8Array)];
    }),
  );
}

/** A clue row's stored opening: the text (written before migration 6), or the text compressed. */
const StoredOpeningRow = z.object({
  clue_id: z.string(),
  routed: z.string().nullable(),
  // A Buffer from pg, a Uint8Array from PGlite.
  routed_deflated: z.instanceof(Uint8Array).nullable(),
});

/**
 * The batch as the write statements' one jsonb parameter. An opening's text goes compressed (`compressRouted`, as
 * base64: jsonb has no bytes), ~60 % fewer bytes in the clue row and so in its WAL record.
 */
function jsonRecords(records: readonly DecisionRecord[]): string {
  return JSON.stringify(
    records.map(({ decision, openedAt, reporterHash, subjects, routed }) => {
      const opening = decision.mergedInto === null ? (routed ?? null) : null;
      const deflated = opening === null ? null : compressRouted(opening);
      return {
        complaint_id: decision.complaintId,
        clue_id: decision.clueId,
        merged_into: decision.mergedInto,
        decision: opening !== null && holdsDecision(opening, decision) ? null : decision,
        opened_at: openedAt,
        reporter_hash: reporterHash,
        subjects: [...new Set(subjects)],
        routed: deflated === null ? opening : null,
        routed_deflated: deflated?.toString("base64") ?? null,
      };
    }),
  );
}

/**
 * Whether `routed` is JSON whose `decision` is `decision` as JSON (key order aside), the value
 * {@link parseStoredDecision} reads back: then the decision is stored in `routed` only. A parse and a walk per clue
 * opened, 8 µs for a 1.4 kB value (a deep strict equal of copies took 40).
 */
function holdsDecision(routed: string, decision: RoutingDecision): boolean {
  try {
    const value: unknown = JSON.parse(routed);
    return typeof value === "object" && value !== null && "decision" in value && sameJson(value.decision, decision);
  } catch {
    return false;
  }
}

/** Equal as JSON: what `JSON.stringify` would write of each, key order aside (undefined members are left out). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, n) => sameJson(item, b[n]));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x).filter((key) => x[key] !== undefined);
  return (
    keys.length === Object.keys(y).filter((key) => y[key] !== undefined).length &&
    keys.every((key) => Object.hasOwn(y, key) && sameJson(x[key], y[key]))
  );
}

/**
 * The clue's stored opening of the `decisions` row aliased `d` when the row holds no decision (see migration 4), as
 * jsonb `[routed, routed_deflated as base64]`, else null: such a row opened a clue, so its `clue_id` is that clue's
 * (found on `clues_pkey`, see migration 5). The text is parsed here, not by the server: PostgreSQL's JSON parser
 * refuses some escapes a complaint's text may hold (`\u0000`, a lone surrogate).
 */
export function openingIfNoDecision(schema: string, d: string): string {
  return `CASE WHEN ${d}.decision IS NULL THEN (SELECT jsonb_build_array(c.routed, encode(c.routed_deflated, 'base64'))
    FROM ${schema}.clues c WHERE c.clue_id = ${d}.clue_id) END`;
}

/** What {@link openingIfNoDecision} gives: null, or the text or its compressed bytes in base64 (lines of 76). */
const StoredOpening = z.tuple([z.string().nullable(), z.string().nullable()]).nullable();

/**
 * A stored decision: the `decision` column (jsonb: a string from pg, an object from PGlite or inside a jsonb
 * aggregate), or when that is null the decision inside its clue's opening text ({@link openingIfNoDecision}).
 */
export function parseStoredDecision(stored: { decision: unknown; opening: unknown }): RoutingDecision {
  const { decision } = stored;
  const opening = StoredOpening.parse(stored.opening ?? null);
  if (decision === null && opening !== null) {
    const [routed, deflated] = opening;
    // Node's base64 decoder skips the line breaks PostgreSQL's `encode` writes.
    const text = routed ?? (deflated === null ? null : decompressRouted(Buffer.from(deflated, "base64")));
    if (text !== null) return RoutingDecision.parse((JSON.parse(text) as { decision: unknown }).decision);
  }
  return RoutingDecision.parse(typeof decision === "string" ? JSON.parse(decision) : decision);
}

const dayMs = 86_400_000;

/** The start of the UTC day after the one `iso` falls in (days counted from the epoch, as `subject_counts.day`). */
export function nextDay(iso: string): string {
  return new Date((Math.floor(Date.parse(iso) / dayMs) + 1) * dayMs).toISOString();
}

/**
 * Rule 5's clues about `subject` from the day `from` on, summed from `subject_counts` (kept by a trigger on
 * `clue_subjects`, see migration 3); the caller counts the rows of the day before it (where its window starts) from
 * `clue_subjects` itself.
 */
export function countedDaysFrom(schema: string, subject: string, from: string): string {
  return `coalesce((SELECT sum(d.clues) FROM ${schema}.subject_counts d WHERE d.subject = ${subject} AND d.day >= ${from}::timestamptz), 0)`;
}

/** Whole epoch milliseconds of a timestamptz column, exact on every server version. */
function epochMs(column: string): string {
  return `(extract(epoch FROM date_trunc('milliseconds', ${column})) * 1000)::int8`;
}
