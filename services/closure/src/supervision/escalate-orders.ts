import type { Queryable } from "@clueline/db";
import { z } from "zod";
import type { LedgerEvent } from "../ledger/events/ledger-event.js";
import { appendLifecycleBatch } from "../ledger/events/ledger-events.js";
import type { SupervisionClocks } from "./supervision-clocks.js";
import { addresseeOf } from "./supervision-rules.js";

const ACTOR = { kind: "system", id: "deadline-scan" } as const;

const DueOrderRow = z.object({
  order_id: z.string(),
  clue_id: z.string(),
  late_unit: z.string().nullable(),
  to_unit: z.string(),
  answer_due_on: z.string(),
});

/**
 * 提级督办: the open supervision orders whose answer deadline has passed escalate to the leader the directory names
 * for the unit they are addressed to, in the scan's transaction, with `supervision.escalated` for each. An order
 * whose unit no leader oversees is still marked escalated (leader null): the commission sees it among its orders.
 * Returns how many escalated.
 */
export async function escalateUnansweredOrders(
  tx: Queryable,
  options: { now: Date; supervision: SupervisionClocks; batchSize: number },
): Promise<number> {
  const { now } = options;
  // skip locked: an order its unit is answering right now is left for the next turn, when it is answered.
  const { rows } = await tx.query(
    `select order_id, clue_id, late_unit, to_unit, answer_due_on::text from supervision_orders
     where state = 'open' and answer_due_at <= $1 order by answer_due_at limit $2 for update skip locked`,
    [now, options.batchSize],
  );
  const orders = rows.map((row) => DueOrderRow.parse(row));
  if (orders.length === 0) return 0;
  const escalated = orders.map((order) => {
    const unitId = addresseeOf({ lateUnit: order.late_unit, toUnit: order.to_unit });
    return { ...order, unitId, leaderId: options.supervision.leaderOf(unitId) };
  });
  await tx.query(
    `update supervision_orders o set state = 'escalated', leader_id = x.leader, escalated_at = $3
     from unnest($1::text[], $2::text[]) as x(id, leader) where o.order_id = x.id`,
    [escalated.map((order) => order.order_id), escalated.map((order) => order.leaderId), now],
  );
  const events: LedgerEvent[] = escalated.map((order) => ({
    clueId: order.clue_id,
    occurredAt: now.toISOString(),
    actor: ACTOR,
    event: "supervision.escalated",
    orderId: order.order_id,
    unitId: order.unitId,
    leaderId: order.leaderId,
    answerDueOn: order.answer_due_on,
  }));
  await appendLifecycleBatch(tx, { events, subject: ACTOR.id, at: now });
  return escalated.length;
}
