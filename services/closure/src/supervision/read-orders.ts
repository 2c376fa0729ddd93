import { DeadlineKind } from "@clueline/contracts";
import type { Queryable } from "@clueline/db";
import { z } from "zod";
import { SupervisionOrderRow } from "./supervision-orders-table.js";
import { addresseeOf, type OrderState } from "./supervision-rules.js";

/** Which orders a caller sees: all (the commission), or those addressed to its units and escalated to it as leader. */
export type OrderVisibility = { all: true } | { all: false; units: string[]; leaders: string[] };

/** A supervision order as the API answers it. */
export interface SupervisionOrderView {
  orderId: string;
  clueId: string;
  state: OrderState;
  /** The unit that must answer: the late unit (or, for a clock that named none, the commission). */
  unitId: string;
  /** The missed clock. */
  deadline: { kind: DeadlineKind; dueOn: string | null; assignmentId: string | null };
  issuedAt: string;
  /** Null for orders issued before answers had a deadline, or while the calendar lacks the year. */
  answerDueOn: string | null;
  answer: { explanation: string; promisedOn: string; answeredAt: string } | null;
  escalation: { leaderId: string | null; escalatedAt: string } | null;
}

const OrderRow = SupervisionOrderRow.pick({
  seq: true,
  order_id: true,
  clue_id: true,
  state: true,
  late_unit: true,
  to_unit: true,
  issued_at: true,
  answer_due_on: true,
  explanation: true,
  promised_on: true,
  answered_at: true,
  leader_id: true,
  escalated_at: true,
}).extend({
  // The missed clock's, joined.
  kind: DeadlineKind,
  due_on: z.string().nullable(),
  assignment_id: z.string().nullable(),
});

const columns = `o.seq, o.order_id, o.clue_id, o.state, o.late_unit, o.to_unit, d.kind, d.due_on::text, d.assignment_id,
  o.issued_at, o.answer_due_on::text, o.explanation, o.promised_on::text, o.answered_at, o.leader_id, o.escalated_at`;

function toView(raw: unknown): SupervisionOrderView & { seq: string } {
  const row = OrderRow.parse(raw);
  return {
    seq: row.seq,
    orderId: row.order_id,
    clueId: row.clue_id,
    state: row.state,
    unitId: addresseeOf({ lateUnit: row.late_unit, toUnit: row.to_unit }),
    deadline: { kind: row.kind, dueOn: row.due_on, assignmentId: row.assignment_id },
    issuedAt: row.issued_at,
    answerDueOn: row.answer_due_on,
    answer:
      row.explanation !== null && row.promised_on !== null && row.answered_at !== null
        ? { explanation: row.explanation, promisedOn: row.promised_on, answeredAt: row.answered_at }
        : null,
    escalation: row.escalated_at === null ? null : { leaderId: row.leader_id, escalatedAt: row.escalated_at },
  };
}

/**
 * One page of the supervision orders a caller sees, newest first; `after` is the seq of the previous page's last.
 *
 * @example
 * const page = await listOrders(db, { visibility: { all: true }, filters: { state: "open" }, after: null, limit: 50 });
 */
export async function listOrders(
  db: Queryable,
  options: {
    visibility: OrderVisibility;
    filters: { state?: OrderState | undefined; unit?: string | undefined };
    after: string | null;
    limit: number;
    /** One order only (to answer it back after a change). */
    orderId?: string;
  },
): Promise<{ items: SupervisionOrderView[]; lastSeq: string | null }> {
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const addressee = "coalesce(o.late_unit, o.to_unit)";
  const where: string[] = [];
  const { visibility, filters } = options;
  if (!visibility.all) {
    where.push(
      `(${addressee} = any(${param(visibility.units)}::text[]) or (o.state = 'escalated' and o.leader_id = any(${param(visibility.leaders)}::text[])))`,
    );
  }
  if (options.after !== null) where.push(`o.seq < ${param(options.after)}::bigint`);
  if (filters.state) where.push(`o.state = ${param(filters.state)}`);
  if (filters.unit) where.push(`${addressee} = ${param(filters.unit)}`);
  if (options.orderId !== undefined) where.push(`o.order_id = ${param(options.orderId)}`);
  const { rows } = await db.query(
    `select ${columns} from supervision_orders o join deadlines d on d.deadline_id = o.deadline_id
     ${where.length > 0 ? `where ${where.join(" and ")}` : ""} order by o.seq desc limit ${param(options.limit)}`,
    params,
  );
  const items = rows.map(toView);
  const last = items.at(-1);
  return {
    items: items.map(({ seq: _, ...view }) => view),
    lastSeq: items.length === options.limit && last ? last.seq : null,
  };
}

const OrderParties = SupervisionOrderRow.pick({ late_unit: true, to_unit: true, leader_id: true, state: true });

/** Who an order concerns, to tell a caller who may see it (403 when it may not act) from one who may not (404). */
export async function readOrderParties(
  db: Queryable,
  orderId: string,
): Promise<{ unitId: string; leaderId: string | null; state: OrderState } | null> {
  const { rows } = await db.query("select late_unit, to_unit, leader_id, state from supervision_orders where order_id = $1", [
    orderId,
  ]);
  if (!rows[0]) return null;
  const row = OrderParties.parse(rows[0]);
  return { unitId: addresseeOf({ lateUnit: row.late_unit, toUnit: row.to_unit }), leaderId: row.leader_id, state: row.state };
}
