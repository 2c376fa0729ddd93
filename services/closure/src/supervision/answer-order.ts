import { shanghaiDateOf } from "../calendar/index.js";
import { appendLifecycle } from "../ledger/events/ledger-events.js";
import { eventBase, type LedgerContext } from "../ledger/ledger-context.js";
import { InvalidAction } from "../ledger/ledger-errors.js";
import { scrubberForClue } from "../ledger/scrub-notes.js";
import { lockOrder, recordOrderAnswer } from "./supervision-orders-table.js";
import { addresseeOf, orderAnswerRefusal, SupervisionOrderNotFound } from "./supervision-rules.js";

/** How far ahead a unit may promise: a year, so a promise is a commitment and not a way to park the order. */
const MAX_PROMISE_DAYS = 366;

/**
 * The unit a supervision order is addressed to answers it (DESIGN §7): an explanation, scrubbed of contacts and
 * the reporter's identity (units and the commission read it), and the day by which it promises to finish.
 * `supervision.answered` goes to the outbox; the explanation stays in the ledger, off the topic. Throws
 * `SupervisionOrderNotFound` for an order not addressed to `unitId`, `SupervisionRefused` (409) for one answered
 * or escalated already, `InvalidAction` for a promised day in the past or more than a year ahead.
 *
 * @example
 * await db.transaction((tx) => answerOrder({ ...ctx, tx }, { orderId, unitId: "town-chengguan", explanation, promisedOn }));
 */
export async function answerOrder(
  ctx: LedgerContext,
  input: { orderId: string; unitId: string; explanation: string; promisedOn: string },
): Promise<{ orderId: string; state: "answered"; promisedOn: string; answeredAt: string }> {
  const order = await lockOrder(ctx.tx, input.orderId);
  if (!order) throw new SupervisionOrderNotFound(input.orderId);
  const unitId = addresseeOf({ lateUnit: order.late_unit, toUnit: order.to_unit });
  if (unitId !== input.unitId) throw new SupervisionOrderNotFound(input.orderId);
  const refused = orderAnswerRefusal(order);
  if (refused) throw refused;
  const today = shanghaiDateOf(ctx.now);
  if (input.promisedOn < today) throw new InvalidAction("promisedOn", `a promised day cannot be in the past (today is ${today})`);
  // Plain day arithmetic: the working-day calendar need not cover a year ahead, and must not be told it lacks one.
  const latest = shanghaiDateOf(new Date(ctx.now.getTime() + MAX_PROMISE_DAYS * 86_400_000));
  if (input.promisedOn > latest) {
    throw new InvalidAction("promisedOn", `a promised day can be at most ${MAX_PROMISE_DAYS} days ahead (${latest})`);
  }

  const explanation = (await scrubberForClue(ctx, order.clue_id))(input.explanation);
  await recordOrderAnswer(ctx.tx, {
    orderId: input.orderId,
    explanation,
    promisedOn: input.promisedOn,
    answeredBy: ctx.subject,
    answeredAt: ctx.now,
  });
  await appendLifecycle(
    ctx,
    {
      ...eventBase(ctx, order.clue_id),
      event: "supervision.answered",
      orderId: input.orderId,
      unitId,
      promisedOn: input.promisedOn,
    },
    explanation,
  );
  return { orderId: input.orderId, state: "answered", promisedOn: input.promisedOn, answeredAt: ctx.now.toISOString() };
}
