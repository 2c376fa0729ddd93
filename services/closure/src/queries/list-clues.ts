import type { AssignmentState, ClueState } from "@clueline/contracts";
import type { Queryable } from "@clueline/db";
import { z } from "zod";
import { ClueSummaryRow, summaryColumns, toClueSummary } from "./clue-summaries.js";
import { BigintText } from "./row-types.js";
import type { ClueSummary } from "./views.js";

export interface ClueFilters {
  state?: ClueState | undefined;
  nature?: ClueSummary["nature"] | undefined;
  channel?: ClueSummary["channel"] | undefined;
  /** The unit's own role on the clue (unit lists only). */
  role?: string | undefined;
  /** The state of the unit's own assignment (unit lists only). */
  assignmentState?: AssignmentState | undefined;
  /** Only clues with at least one missed deadline. */
  overdue?: boolean | undefined;
}

/** A unit's list also selects the unit's roles on the clue; the commission's list of all clues has none. */
const ListedClueRow = ClueSummaryRow.extend({ roles: z.array(z.string()).optional(), page_seq: BigintText });

/** Cursors are opaque to callers: the seq of the last item, newest first. */
export const encodeCursor = (seq: string) => Buffer.from(`v1:${seq}`).toString("base64url");
export function decodeCursor(cursor: string | undefined): string | null {
  if (!cursor) return null;
  const text = Buffer.from(cursor, "base64url").toString();
  // A seq within the integers JavaScript and PostgreSQL's bigint both hold exactly; anything else is no cursor.
  return /^v1:\d{1,16}$/.test(text) && Number(text.slice(3)) <= Number.MAX_SAFE_INTEGER ? text.slice(3) : null;
}

/**
 * One page of a unit's clues (driven by the unit's indexes of `clue_units` and of its positioned assignments), or
 * of all clues for the commission (`unitId` null), newest first.
 *
 * @example
 * const page = await listClues(db, { unitId: "town-chengguan", filters: { state: "open" }, limit: 50 });
 */
export async function listClues(
  db: Queryable,
  options: { unitId: string | null; filters: ClueFilters; after: string | null; limit: number },
): Promise<{ items: ClueSummary[]; lastSeq: string | null }> {
  const { filters } = options;
  const params: unknown[] = [];
  const where: string[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const forUnit = options.unitId !== null;
  const seqColumn = forUnit ? "cu.seq" : "c.seq";
  if (forUnit) where.push(`cu.unit_id = ${param(options.unitId)}`);
  if (options.after !== null) where.push(`${seqColumn} < ${param(options.after)}::bigint`);
  if (filters.state) where.push(`c.state = ${param(filters.state)}`);
  if (filters.nature) where.push(`c.nature = ${param(filters.nature)}`);
  if (filters.channel) where.push(`c.channel = ${param(filters.channel)}`);
  if (forUnit && filters.role) where.push(`${param(filters.role)} = any(cu.roles)`);
  if (forUnit && filters.assignmentState) {
    where.push(
      `exists (select 1 from assignments a where a.clue_id = c.clue_id and a.unit_id = cu.unit_id and a.state = ${param(filters.assignmentState)})`,
    );
  }
  if (filters.overdue) where.push("exists (select 1 from deadlines d where d.clue_id = c.clue_id and d.stage = 'overdue')");
  const limit = param(options.limit);
  const page = (from: string, roles: string) =>
    `select ${summaryColumns}${roles}, ${seqColumn} as page_seq from ${from}
    ${where.length > 0 ? `where ${where.join(" and ")}` : ""} order by ${seqColumn} desc limit ${limit}`;
  // A unit's clues are in two tables (migration 020): each is paged by its own index, newest first, and the two
  // pages merged; a union view of both would sort all of the unit's rows instead.
  const sql = forUnit
    ? `select * from ((${page("clue_units cu join clues c on c.clue_id = cu.clue_id", ", cu.roles")})
        union all (${page("positioned_assignments cu join clues c on c.clue_id = cu.clue_id", ", cu.roles")})) as merged
      order by page_seq desc limit ${limit}`
    : page("clues c", "");
  const rows = (await db.query(sql, params)).rows.map((row) => ListedClueRow.parse(row));
  const items = rows.map((row) => toClueSummary(row, row.roles ?? []));
  const last = rows.at(-1);
  return { items, lastSeq: rows.length === options.limit && last ? last.page_seq : null };
}
