import { ClueState, ComplaintChannel } from "@clueline/contracts";
import { type ColumnTypes, insertFromJson, type Queryable } from "@clueline/db";
import { z } from "zod";
import { ClueNotFound } from "../ledger-errors.js";
import { packReasons } from "./packed-reasons.js";

/**
 * The `clues` table's writes and the reads taken under its lock. Every clue row is written here: opened by a
 * routing decision, its state moved by the ledger's steps (a group commit's conclusions go through the assignment
 * change buffer's one statement, which names only state and timestamps).
 */

/** A row of `clues` as a routing decision opens it; jsonb columns hold objects, not text. */
export interface OpenedClueRow {
  clue_id: string;
  complaint_id: string;
  nature: string;
  categories: string[];
  departments: string[];
  towns: string[];
  channel: string;
  received_at: string;
  opened_at: string;
  text: string;
  evidence: unknown;
  origin: unknown;
  reporter_kind: "anonymous" | "real-name";
  reporter_hash: string | null;
  reporter_identity: unknown;
  /** The free text as written, sealed at the edge; null when the edge scrubbed nothing out of it. */
  sealed_original: unknown;
  receipt_selector: string | null;
  receipt_hash: string | null;
  state: "open" | "transferred";
  transfer_to: string | null;
  transfer_also: string[];
  /** The routing reasons, packed ({@link packReasons}); `reasons`, the objects, is left null (migration 015). */
  reasons_packed: string;
}

/** The columns an opening writes, with their types: the one list the insert is made from. */
const openedColumns = {
  clue_id: "text",
  complaint_id: "text",
  nature: "text",
  categories: "text[]",
  departments: "text[]",
  towns: "text[]",
  channel: "text",
  received_at: "timestamptz",
  opened_at: "timestamptz",
  text: "text",
  evidence: "jsonb",
  origin: "jsonb",
  reporter_kind: "text",
  reporter_hash: "text",
  reporter_identity: "jsonb",
  sealed_original: "jsonb",
  receipt_selector: "text",
  receipt_hash: "text",
  state: "text",
  transfer_to: "text",
  transfer_also: "text[]",
  reasons_packed: "text",
} as const satisfies Record<keyof OpenedClueRow, string> & ColumnTypes;

const insertOpened = `${insertFromJson("clues", "$1", openedColumns, { updated_at: "opened_at" })}
  where not exists (select 1 from clues c where c.clue_id = r.clue_id or c.complaint_id = r.complaint_id)
  on conflict do nothing returning clue_id`;

/**
 * Inserts new clues, skipping any whose clue or complaint id the ledger has (rule 9); returns the ids inserted.
 * In the order given, so `seq` (list order, cursors) follows the topic as one at a time would. This skip is what
 * makes a redelivered opening change nothing (openings keep no inbox row). A known clue is filtered out before its
 * row is formed, so it writes nothing at all: `on conflict` alone draws a `seq` first (a sequence WAL record every
 * 32 values, and a transaction id for it). The filter is one `not exists` on either key, which only a nested loop
 * over the given rows answers, so they keep their order. The insert stays an `on conflict` on both keys: an instance
 * applying the same partition beside this one (a rebalance) makes it wait for that one and then skip, where a plain
 * insert would fail the batch on the key.
 */
export async function insertClues(tx: Queryable, rows: readonly OpenedClueRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const inserted = await tx.query<{ clue_id: string }>(insertOpened, [JSON.stringify(rows)]);
  return new Set(inserted.rows.map((row) => row.clue_id));
}

/** A clue row's columns that ledger steps decide on, parsed. */
export const ClueRecordRow = z
  .object({
    clue_id: z.string(),
    state: ClueState,
    channel: ComplaintChannel,
    reporter_kind: z.enum(["anonymous", "real-name"]),
    reopen_count: z.coerce.number().int(),
    escalated: z.boolean(),
  })
  .transform((row) => ({
    clueId: row.clue_id,
    state: row.state,
    channel: row.channel,
    reporterKind: row.reporter_kind,
    reopenCount: row.reopen_count,
    escalated: row.escalated,
  }));
export type ClueRecord = z.output<typeof ClueRecordRow>;

/** The columns {@link ClueRecordRow} reads, qualified by `alias` when given. */
export function clueRecordColumns(alias = ""): string {
  const prefix = alias ? `${alias}.` : "";
  return Object.keys(ClueRecordRow.in.shape)
    .map((column) => prefix + column)
    .join(", ");
}

const lockOne = `select ${clueRecordColumns()} from clues where clue_id = $1 for update`;

/**
 * Locks the clue row for the rest of the transaction. Every change to a clue takes this lock first, so the
 * changes of one clue commit one after another and their events get increasing seq numbers in commit order,
 * which is the order the relay publishes them in.
 */
export async function lockClue(tx: Queryable, clueId: string): Promise<ClueRecord> {
  const { rows } = await tx.query(lockOne, [clueId]);
  if (!rows[0]) throw new ClueNotFound(clueId);
  return ClueRecordRow.parse(rows[0]);
}

/**
 * Locks the clues that exist among `clueIds`, in id order so that two batches never wait on each other in a cycle;
 * returns their states as locked.
 */
export async function lockClues(tx: Queryable, clueIds: readonly string[]): Promise<Map<string, ClueState>> {
  if (clueIds.length === 0) return new Map();
  const { rows } = await tx.query(
    "select clue_id, state from clues where clue_id = any($1::text[]) order by clue_id for update",
    [clueIds],
  );
  return new Map(rows.map((row) => [String(row.clue_id), ClueState.parse(row.state)]));
}

/** Columns a ledger step sets together with a clue's new state; names come from code, never from input. */
export interface ClueStepColumns {
  reply?: string;
  replied_at?: Date;
  fed_back_at?: Date;
  closed_at?: Date | null;
  redo_count?: number;
  escalated?: boolean;
}

/**
 * Moves a clue to its next state with what the step records beside it, in one update of the row (one new row
 * version, not one per column group); `reopened` counts a reopening.
 *
 * @example
 * await moveClue(ctx.tx, { clueId, to: "closed", at: ctx.now, set: { closed_at: ctx.now } });
 */
export async function moveClue(
  tx: Queryable,
  options: { clueId: string; to: ClueState; at: Date; set?: ClueStepColumns; reopened?: boolean },
): Promise<void> {
  const set = Object.entries(options.set ?? {});
  const assigned = set.map(([column], index) => `, ${column} = $${index + 4}`).join("");
  const counted = options.reopened ? ", reopen_count = reopen_count + 1" : "";
  await tx.query(`update clues set state = $2, updated_at = $3${assigned}${counted} where clue_id = $1`, [
    options.clueId,
    options.to,
    options.at,
    ...set.map(([, value]) => value),
  ]);
}

/** What a reclassification (改判) changes on a clue: the routing facts a new decision gives it. */
export interface ClueRouting {
  nature: string;
  categories: string[];
  departments: string[];
  towns: string[];
  reasons: readonly unknown[];
  transferTo: string | null;
  transferAlso: string[];
  state: ClueState;
}

/**
 * Gives a clue the routing facts of a new decision for it (a reclassification), with its new state. The reasons are
 * packed; `reasons` is cleared, as readers take it first when set (an older instance writes only it).
 */
export async function rerouteClue(tx: Queryable, clueId: string, routing: ClueRouting, at: Date): Promise<void> {
  await tx.query(
    `update clues set nature = $2, categories = $3, departments = $4, towns = $5, reasons = null, reasons_packed = $6, transfer_to = $7,
       transfer_also = $8, state = $9, updated_at = $10 where clue_id = $1`,
    [
      clueId,
      routing.nature,
      routing.categories,
      routing.departments,
      routing.towns,
      packReasons(routing.reasons),
      routing.transferTo,
      routing.transferAlso,
      routing.state,
      at,
    ],
  );
}
