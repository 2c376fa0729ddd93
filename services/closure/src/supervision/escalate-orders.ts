import type { Queryable } from "@clueline/db";
import type { LedgerEvent } from "../ledger/events/ledger-event.js";
import { appendLifecycleBatch } from "../ledger/events/ledger-events.js";
import type { SupervisionClocks } from "./supervision-clocks.js";
import { lockUnansweredOrders, recordOrderEscalations } from "./supervision-orders-table.js";
import { addresseeOf } from "./supervision-rules.js";

const ACTOR = { kind: "system", id: "deadline-scan" } as const;

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
  const orders = await lockUnansweredOrders(tx, { now, limit: options.batchSize });
  if (orders.length === 0) return 0;
  const escalated = orders.map((order) => {
    const unitId = addresseeOf({ lateUnit: order.late_unit, toUnit: order.to_unit });
    return { ...order, unitId, leaderId: options.supervision.leaderOf(unitId) };
  });
  await recordOrderEscalations(tx, {
    escalations: escalated.map((order) => ({ orderId: order.order_id, leaderId: order.leaderId })),
    escalatedAt: now,
  });
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
