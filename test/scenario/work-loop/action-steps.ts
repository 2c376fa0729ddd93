import { beijingDate, type StepKind } from "./step-context.js";

/** A unit acts on its assignment (受理, 处置, 办结 …) or replies to the reporter (反馈). */
export const actionSteps: Record<string, StepKind> = {
  act: async (ctx, step) => {
    const expect = step.expect ?? {};
    const unitId = ctx.unitOf(step);
    const { assignmentId } = await ctx.assignmentOf(step, unitId);
    const action = { ...(step.action as object) } as Record<string, unknown>;
    if (typeof step.reviewInDays === "number") action.reviewOn = beijingDate(step.reviewInDays);
    const after = await ctx.json<{ state: string; disposition: string | null; concludeDueOn: string | null }>(
      step.label,
      ctx.deps.call({
        service: "closure",
        path: `/v1/assignments/${assignmentId}/actions`,
        scopes: [`unit:${unitId}`],
        body: action,
      }),
      200,
    );
    ctx.check(step.label, "the assignment's state", after.state, expect.state);
    if (expect.concludeDue !== undefined)
      ctx.check(step.label, "a conclusion clock", after.concludeDueOn !== null, expect.concludeDue);
    const { clueState } = await ctx.assignmentOf(step, unitId);
    if (expect.clueState !== undefined) ctx.check(step.label, "the clue's state", clueState, expect.clueState);
    const due =
      action.action !== "dispose"
        ? ""
        : after.concludeDueOn
          ? `, conclusion due ${after.concludeDueOn}`
          : action.reviewOn
            ? `, review on ${action.reviewOn}`
            : "";
    ctx.deps.log(
      `  ${unitId} ${String(action.action)}${after.disposition && action.action === "dispose" ? ` ${after.disposition}` : ""} → ${after.state}${due}  (${step.label})`,
    );
  },
  reply: async (ctx, step) => {
    const expect = step.expect ?? {};
    const clueId = ctx.clues[step.clue].clueId;
    const unitId = ctx.unitOf(step);
    await ctx.json(
      step.label,
      ctx.deps.call({
        service: "closure",
        path: `/v1/clues/${clueId}/reply`,
        scopes: [`unit:${unitId}`],
        body: { reply: step.reply },
      }),
      204,
    );
    const { clueState } = await ctx.assignmentOf(step, unitId);
    ctx.check(step.label, "the clue's state", clueState, expect.clueState);
    ctx.deps.log(`  ${unitId} reply → clue ${clueState}  (${step.label})`);
  },
};
