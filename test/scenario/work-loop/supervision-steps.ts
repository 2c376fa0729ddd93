import type { Scope } from "@clueline/kit";
import { type Role, WorkLoopStepFailed } from "./scenario.js";
import { beijingDate, DAY_MS, type StepKind } from "./step-context.js";

/** Extensions (延期申请), the scan clock, supervision orders (督办) answered and escalated (提级督办). */
export const supervisionSteps: Record<string, StepKind> = {
  "request-extension": async (ctx, step) => {
    const expect = step.expect ?? {};
    const unitId = ctx.unitOf(step);
    const { assignmentId } = await ctx.assignmentOf(step, unitId);
    const request = await ctx.json<{ requestId: string; state: string; dueOn: string }>(
      step.label,
      ctx.deps.call({
        service: "closure",
        path: `/v1/assignments/${assignmentId}/extension-requests`,
        scopes: [`unit:${unitId}`],
        body: { kind: step.kind, workingDays: step.workingDays, reason: step.reason },
      }),
      expect.status as number,
    );
    ctx.state.requests.set(step.clue, request.requestId);
    ctx.deps.log(
      `  ${unitId} asks ${String(step.workingDays)} more working days on its ${String(step.kind)} clock due ${request.dueOn} → ${request.state}  (${step.label})`,
    );
  },
  "decide-extension": async (ctx, step) => {
    const expect = step.expect ?? {};
    const decided = await ctx.json<{ state: string; dueOn: string; newDueOn: string }>(
      step.label,
      ctx.deps.call({
        service: "closure",
        path: `/v1/extension-requests/${ctx.state.requests.get(step.clue)}/decision`,
        scopes: ["commission"],
        body: { decision: step.decision },
      }),
      200,
    );
    ctx.check(step.label, "the request's state", decided.state, expect.state);
    const { acceptDueOn } = await ctx.assignmentOf({ ...step, as: "lead" }, ctx.unitOf({ ...step, as: "lead" }));
    ctx.check(step.label, "the assignment's accept clock", acceptDueOn, decided.newDueOn);
    ctx.deps.log(`  commission ${decided.state}: the clock moves from ${decided.dueOn} to ${decided.newDueOn}  (${step.label})`);
  },
  "advance-clock": async (ctx, step) => {
    ctx.deps.log(
      `  ⏩ the deadline scan now runs ${String(step.aheadDays)} days ahead (restarting what needs it)…  (${step.label})`,
    );
    await ctx.deps.setScanClockAhead((step.aheadDays as number) * DAY_MS);
  },
  "await-orders": async (ctx, step) => {
    const expect = step.expect ?? {};
    const clueId = ctx.clues[step.clue].clueId;
    const units = (step.units as Role[]).map((role) => ctx.unitOf({ ...step, as: role }));
    for (const unitId of units) {
      const [order] = await ctx.eventually(`a supervision order for ${unitId} on clue ${clueId}`, async () => {
        const found = await ctx.ordersOf(step, [`unit:${unitId}`]);
        return found.length > 0 ? found : undefined;
      });
      ctx.check(step.label, `${unitId}'s order state`, order?.state, expect.state);
      ctx.deps.log(`  督办 order ${order?.orderId} to ${unitId}: ${order?.state}  (${step.label})`);
    }
  },
  "expect-no-orders": async (ctx, step) => {
    const clueId = ctx.clues[step.clue].clueId;
    const unitId = ctx.unitOf({ ...step, as: "lead" });
    ctx.check(step.label, `orders for ${unitId} on clue ${clueId}`, (await ctx.ordersOf(step, ["commission"])).length, 0);
    ctx.deps.log(`  no supervision order on clue ${clueId}: ${unitId}'s extended clock is still running  (${step.label})`);
  },
  "answer-order": async (ctx, step) => {
    const expect = step.expect ?? {};
    const unitId = ctx.unitOf(step);
    const [order] = await ctx.ordersOf(step, [`unit:${unitId}`]);
    if (!order) throw new WorkLoopStepFailed(step.label, `no order for ${unitId}`);
    const answer = { explanation: step.explanation, promisedOn: beijingDate(step.promiseInDays as number) };
    const got = await ctx.deps.call({
      service: "closure",
      path: `/v1/supervision-orders/${order.orderId}/answer`,
      scopes: [`unit:${unitId}`],
      body: answer,
    });
    ctx.check(step.label, "the answer's HTTP status", got.status, expect.status ?? 200);
    if (got.status === 200)
      ctx.check(step.label, "the order's state", (JSON.parse(got.text) as { state: string }).state, expect.state);
    ctx.deps.log(
      `  ${unitId} answers order ${order.orderId} (promised ${answer.promisedOn}): HTTP ${got.status}  (${step.label})`,
    );
  },
  "await-escalation": async (ctx, step) => {
    const expect = step.expect ?? {};
    const clueId = ctx.clues[step.clue].clueId;
    const unitId = ctx.unitOf(step);
    const order = await ctx.eventually(`the escalation of ${unitId}'s order on clue ${clueId}`, async () => {
      const [found] = await ctx.ordersOf(step, [`unit:${unitId}`], "&state=escalated");
      return found;
    });
    const leaderId = order.escalation?.leaderId;
    ctx.check(step.label, "the leader escalated to", leaderId, expect.leader);
    const seen = await ctx.ordersOf(step, [`leader:${leaderId}` as Scope]);
    ctx.check(
      step.label,
      "what the leader sees",
      seen.map((o) => o.orderId),
      [order.orderId],
    );
    ctx.deps.log(
      `  提级督办: order ${order.orderId} of ${unitId} escalated to ${leaderId}, who sees it with scope leader:${leaderId}  (${step.label})`,
    );
  },
};
