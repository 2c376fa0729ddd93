import type { Queryable } from "@clueline/db";
import { z } from "zod";

/**
 * The owner of `supervision_orders` (督办): every write to the table is here. An order is issued by the scan,
 * answered by the unit it is addressed to, or escalated (提级督办) past its answer deadline.
 */

const Instant = z.union([z.date(), z.string()]).transform((value) => new Date(value).toISOString());

/** A row of `supervision_orders` as read, dates as `::text`. */
export const SupervisionOrderRow = z.object({
  seq: z.union([z.string(), z.number()]).transform(String),
  order_id: z.string(),
  clue_id: z.string(),
  deadline_id: z.union([z.string(), z.number()]).transform(String),
  late_unit: z.string().nullable(),
  to_unit: z.string(),
  issued_at: Instant,
  state: z.enum(["open", "answered", "escalated"]),
  answer_due_on: z.string().nullable(),
  answer_due_at: Instant.nullable(),
  explanation: z.string().nullable(),
  promised_on: z.string().nullable(),
  answered_by: z.string().nullable(),
  answered_at: Instant.nullable(),
  leader_id: z.string().nullable(),
  escalated_at: Instant.nullable(),
});
export type SupervisionOrderRow = z.infer<typeof SupervisionOrderRow>;

/** What the scan issues: one order per overdue clock, all of one turn to one unit with one answer deadline. */
export interface IssuedOrders {
  orders: readonly { orderId: string; clueId: string; deadlineId: string; lateUnit: string | null }[];
  toUnit: string;
  issuedAt: Date;
  /** Null while the calendar lacks the year: the order waits, open, and never escalates by a guessed date. */
  answerDueOn: string | null;
  answerDueAt: Date | null;
}

/** Inserts the orders of a scan turn in one statement; a clock that has an order already keeps it. */
export async function insertSupervisionOrders(tx: Queryable, issued: IssuedOrders): Promise<void> {
  if (issued.orders.length === 0) return;
  await tx.query(
    `insert into supervision_orders (order_id, clue_id, deadline_id, late_unit, to_unit, issued_at, answer_due_on,
       answer_due_at)
     select o, c, d, u, $5, $6, $7, $8 from unnest($1::text[], $2::text[], $3::bigint[], $4::text[]) as x(o, c, d, u)
     on conflict (deadline_id) do nothing`,
    [
      issued.orders.map((order) => order.orderId),
      issued.orders.map((order) => order.clueId),
      issued.orders.map((order) => order.deadlineId),
      issued.orders.map((order) => order.lateUnit),
      issued.toUnit,
      issued.issuedAt,
      issued.answerDueOn,
      issued.answerDueAt,
    ],
  );
}

const AnsweringOrder = SupervisionOrderRow.pick({ clue_id: true, late_unit: true, to_unit: true, state: true });

/** Locks one order for its answer; null when there is none. */
export async function lockOrder(tx: Queryable, orderId: string): Promise<z.infer<typeof AnsweringOrder> | null> {
  const { rows } = await tx.query(
    "select clue_id, late_unit, to_unit, state from supervision_orders where order_id = $1 for update",
    [orderId],
  );
  return rows[0] ? AnsweringOrder.parse(rows[0]) : null;
}

/** Records an order's answer: the explanation (scrubbed by the caller) and the promised day. */
export async function recordOrderAnswer(
  tx: Queryable,
  answer: { orderId: string; explanation: string; promisedOn: string; answeredBy: string; answeredAt: Date },
): Promise<void> {
  await tx.query(
    `update supervision_orders set state = 'answered', explanation = $2, promised_on = $3, answered_by = $4, answered_at = $5
     where order_id = $1`,
    [answer.orderId, answer.explanation, answer.promisedOn, answer.answeredBy, answer.answeredAt],
  );
}

const DueOrder = SupervisionOrderRow.pick({ order_id: true, clue_id: true, late_unit: true, to_unit: true }).extend({
  // Only orders with an answer deadline come due.
  answer_due_on: z.string(),
});
export type DueOrder = z.infer<typeof DueOrder>;

/**
 * Locks up to `limit` open orders whose answer deadline is at or before `now`, earliest first. skip locked: an
 * order its unit is answering right now is left for the next turn, when it is answered.
 */
export async function lockUnansweredOrders(tx: Queryable, options: { now: Date; limit: number }): Promise<DueOrder[]> {
  const { rows } = await tx.query(
    `select order_id, clue_id, late_unit, to_unit, answer_due_on::text from supervision_orders
     where state = 'open' and answer_due_at <= $1 order by answer_due_at limit $2 for update skip locked`,
    [options.now, options.limit],
  );
  return rows.map((row) => DueOrder.parse(row));
}

/** Marks orders escalated to their leaders (null: no leader oversees the unit). */
export async function recordOrderEscalations(
  tx: Queryable,
  options: { escalations: readonly { orderId: string; leaderId: string | null }[]; escalatedAt: Date },
): Promise<void> {
  if (options.escalations.length === 0) return;
  await tx.query(
    `update supervision_orders o set state = 'escalated', leader_id = x.leader, escalated_at = $3
     from unnest($1::text[], $2::text[]) as x(id, leader) where o.order_id = x.id`,
    [options.escalations.map((e) => e.orderId), options.escalations.map((e) => e.leaderId), options.escalatedAt],
  );
}
