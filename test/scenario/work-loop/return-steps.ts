import type { ComplaintSpec } from "./scenario.js";
import type { StepKind } from "./step-context.js";
import { submitComplaint } from "./submit-complaint.js";

/** Returns (退回) decided by the commission (改派), redo (发回重办), and a real-name reporter's supplement (补充). */
export const returnSteps: Record<string, StepKind> = {
  "decide-return": async (ctx, step) => {
    const expect = step.expect ?? {};
    const clue = ctx.clues[step.clue];
    const lead = ctx.unitOf({ ...step, as: "lead" });
    // The lead's return, from the commission's review list (newest first; narrowed to the returning unit).
    const page = await ctx.json<{ items: { returnId: string; clueId: string }[] }>(
      step.label,
      ctx.deps.call({ service: "closure", path: `/v1/returns?state=pending&unit=${lead}&limit=200`, scopes: ["commission"] }),
      200,
    );
    const pending = page.items.find((item) => item.clueId === clue.clueId);
    if (!pending) ctx.check(step.label, `a pending return of clue ${clue.clueId}`, "none", "one");
    const body = step.decision === "reassign" ? { decision: "reassign", to: step.to, note: step.note } : { decision: "uphold" };
    const decided = await ctx.json<{ state: string; reassignedTo: string | null; newAssignmentId: string | null }>(
      step.label,
      ctx.deps.call({
        service: "closure",
        path: `/v1/returns/${pending?.returnId}/decision`,
        scopes: ["commission"],
        body,
      }),
      200,
    );
    ctx.check(step.label, "the return's state", decided.state, expect.state);
    if (decided.reassignedTo) {
      clue.units.reassigned = decided.reassignedTo;
      const { assignmentId } = await ctx.assignmentOf({ ...step, as: "reassigned" }, decided.reassignedTo);
      ctx.check(step.label, "the new unit's assignment", assignmentId, decided.newAssignmentId);
    }
    const to = decided.reassignedTo ? ` to ${decided.reassignedTo}` : "";
    ctx.deps.log(`  commission decides ${lead}'s return → ${decided.state}${to}  (${step.label})`);
  },
  redo: async (ctx, step) => {
    const expect = step.expect ?? {};
    const clueId = ctx.clues[step.clue].clueId;
    const redone = await ctx.json<{ redoCount: number }>(
      step.label,
      ctx.deps.call({
        service: "closure",
        path: `/v1/clues/${clueId}/redo`,
        scopes: ["commission"],
        body: { basis: step.basis, reason: step.reason },
      }),
      200,
    );
    ctx.check(step.label, "the clue's redo count", redone.redoCount, expect.redoCount);
    const lead = ctx.unitOf({ ...step, as: "lead" });
    const { clueState, state } = await ctx.assignmentOf({ ...step, as: "lead" }, lead);
    ctx.check(step.label, "the clue's state", clueState, expect.clueState);
    ctx.deps.log(`  commission redo (${String(step.basis)}) → clue ${clueState}, ${lead} ${state}  (${step.label})`);
  },
  supplement: async (ctx, step) => {
    const expect = step.expect ?? {};
    const clueId = ctx.clues[step.clue].clueId;
    const spec = step.complaint as ComplaintSpec;
    const decision = await submitComplaint(ctx, { label: step.label, key: `${step.clue}-supplement`, spec });
    ctx.check(step.label, "the clue the supplement merged into", decision.mergedInto, clueId);
    const lead = ctx.unitOf({ ...step, as: "lead" });
    // The closure applies the router's decision from Kafka: the clue reopens when it gets there.
    const reopened = await ctx.eventually(`clue ${clueId} reopened`, async () => {
      const now = await ctx.assignmentOf({ ...step, as: "lead" }, lead);
      return now.clueState === expect.clueState ? now : undefined;
    });
    ctx.check(step.label, "the lead's assignment", reopened.state, expect.leadState);
    ctx.deps.log(
      `  ${spec.service} 202 → merged into clue ${clueId}: clue ${reopened.clueState}, ${lead} ${reopened.state}  (${step.label})`,
    );
  },
};
