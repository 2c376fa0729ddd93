import type { Queryable } from "@clueline/db";
import { z } from "zod";
import { ExtensionRequestRow } from "./extension-requests-table.js";
import type { ExtensionState } from "./supervision-rules.js";

/** An extension request as the list answers it, with the reason (scrubbed) and the decision. */
export interface ExtensionRequestListItem {
  requestId: string;
  clueId: string;
  assignmentId: string;
  unitId: string;
  kind: string;
  workingDays: number;
  reason: string;
  state: ExtensionState;
  requestedAt: string;
  /** The clock's due date when asked, and after a grant the new one. */
  dueOn: string | null;
  newDueOn: string | null;
  decidedAt: string | null;
}

const Row = ExtensionRequestRow.pick({
  seq: true,
  request_id: true,
  clue_id: true,
  assignment_id: true,
  unit_id: true,
  working_days: true,
  reason: true,
  state: true,
  requested_at: true,
  new_due_on: true,
  decided_at: true,
}).extend({
  kind: z.string(),
  // The due date when decided, else the clock's current one (joined).
  due_on: z.string().nullable(),
});

/**
 * One page of extension requests, newest first: all for the commission (`units` null), else those of the units.
 * A pending request shows its clock's current due date; a decided one the date it had when decided.
 *
 * @example
 * const page = await listExtensionRequests(db, { units: null, state: "pending", after: null, limit: 50 });
 */
export async function listExtensionRequests(
  db: Queryable,
  options: {
    units: string[] | null;
    state?: ExtensionState | undefined;
    unit?: string | undefined;
    after: string | null;
    limit: number;
  },
): Promise<{ items: ExtensionRequestListItem[]; lastSeq: string | null }> {
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where: string[] = [];
  if (options.units !== null) where.push(`r.unit_id = any(${param(options.units)}::text[])`);
  if (options.unit) where.push(`r.unit_id = ${param(options.unit)}`);
  if (options.state) where.push(`r.state = ${param(options.state)}`);
  if (options.after !== null) where.push(`r.seq < ${param(options.after)}::bigint`);
  const { rows } = await db.query(
    `select r.seq, r.request_id, r.clue_id, r.assignment_id, r.unit_id, r.kind, r.working_days, r.reason, r.state,
       r.requested_at, coalesce(r.previous_due_on, d.due_on)::text as due_on, r.new_due_on::text, r.decided_at
     from extension_requests r join deadlines d on d.deadline_id = r.deadline_id
     ${where.length > 0 ? `where ${where.join(" and ")}` : ""} order by r.seq desc limit ${param(options.limit)}`,
    params,
  );
  const parsed = rows.map((raw) => Row.parse(raw));
  const last = parsed.at(-1);
  return {
    items: parsed.map((row) => ({
      requestId: row.request_id,
      clueId: row.clue_id,
      assignmentId: row.assignment_id,
      unitId: row.unit_id,
      kind: row.kind,
      workingDays: row.working_days,
      reason: row.reason,
      state: row.state,
      requestedAt: row.requested_at,
      dueOn: row.due_on,
      newDueOn: row.new_due_on,
      decidedAt: row.decided_at,
    })),
    lastSeq: parsed.length === options.limit && last ? last.seq : null,
  };
}
