import type { Queryable } from "@clueline/db";
import { z } from "zod";
import type { ReturnKind, ReturnState } from "./returns-rules.js";

/** A return as the API answers it: what was returned, why (scrubbed), and the commission's decision. */
export interface ReturnView {
  returnId: string;
  clueId: string;
  assignmentId: string;
  unitId: string;
  kind: ReturnKind;
  reason: string;
  state: ReturnState;
  returnedAt: string;
  decidedAt: string | null;
  decisionNote: string | null;
  reassignedTo: string | null;
  newAssignmentId: string | null;
}

const Instant = z.union([z.date(), z.string()]).transform((value) => new Date(value).toISOString());

const Row = z.object({
  seq: z.union([z.string(), z.number()]).transform(String),
  return_id: z.string(),
  clue_id: z.string(),
  assignment_id: z.string(),
  unit_id: z.string(),
  kind: z.enum(["return", "reject"]),
  reason: z.string(),
  state: z.enum(["pending", "upheld", "reassigned"]),
  returned_at: Instant,
  decided_at: Instant.nullable(),
  decision_note: z.string().nullable(),
  reassigned_to: z.string().nullable(),
  new_assignment_id: z.string().nullable(),
});

const COLUMNS = `seq, return_id, clue_id, assignment_id, unit_id, kind, reason, state, returned_at, decided_at, decision_note,
  reassigned_to, new_assignment_id`;

/**
 * One page of returns, newest first: every one for the commission (`units` null), else those the units made.
 * `returnId` narrows to one (for the route that shows a single return).
 *
 * @example
 * const page = await listReturns(db, { units: null, state: "pending", after: null, limit: 50 });
 */
export async function listReturns(
  db: Queryable,
  options: {
    units: string[] | null;
    state?: ReturnState | undefined;
    unit?: string | undefined;
    returnId?: string | undefined;
    after: string | null;
    limit: number;
  },
): Promise<{ items: ReturnView[]; lastSeq: string | null }> {
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where: string[] = [];
  if (options.units !== null) where.push(`unit_id = any(${param(options.units)}::text[])`);
  if (options.unit) where.push(`unit_id = ${param(options.unit)}`);
  if (options.state) where.push(`state = ${param(options.state)}`);
  if (options.returnId) where.push(`return_id = ${param(options.returnId)}`);
  if (options.after !== null) where.push(`seq < ${param(options.after)}::bigint`);
  const { rows } = await db.query(
    `select ${COLUMNS} from returns ${where.length > 0 ? `where ${where.join(" and ")}` : ""}
     order by seq desc limit ${param(options.limit)}`,
    params,
  );
  const parsed = rows.map((raw) => Row.parse(raw));
  const last = parsed.at(-1);
  return {
    items: parsed.map((row) => ({
      returnId: row.return_id,
      clueId: row.clue_id,
      assignmentId: row.assignment_id,
      unitId: row.unit_id,
      kind: row.kind,
      reason: row.reason,
      state: row.state,
      returnedAt: row.returned_at,
      decidedAt: row.decided_at,
      decisionNote: row.decision_note,
      reassignedTo: row.reassigned_to,
      newAssignmentId: row.new_assignment_id,
    })),
    lastSeq: parsed.length === options.limit && last ? last.seq : null,
  };
}
