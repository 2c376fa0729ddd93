import { createHash } from "node:crypto";
import type { Scope } from "@clueline/kit";
import {
  type Answer,
  type ClueName,
  type FileName,
  type OpenedClue,
  type WorkLoopDeps,
  type WorkLoopScenario,
  type WorkLoopStep,
  WorkLoopStepFailed,
} from "./scenario.js";

export const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
export const DAY_MS = 86_400_000;
/** A Beijing calendar date `days` after today's (review dates and promised dates are Beijing dates). */
export const beijingDate = (days: number) => new Date(Date.now() + 8 * 3_600_000 + days * DAY_MS).toISOString().slice(0, 10);

/**
 * What the steps of one run share: the files, the clues its complaints opened (roles read from their routing
 * decisions), the ids earlier steps learnt, and the checks that turn a wrong answer into {@link WorkLoopStepFailed}.
 *
 * @example
 * const ctx = createStepContext(deps, workLoopScenario);
 * const unitId = ctx.unitOf(step); // the unit holding `step.as` on `step.clue`
 */
export function createStepContext(deps: WorkLoopDeps, scenario: WorkLoopScenario) {
  const patience = deps.patienceMs ?? 120_000;
  const load = (name: FileName) => ({
    contentType: scenario.files[name].contentType,
    bytes: new Uint8Array(Buffer.from(scenario.files[name].base64, "base64")),
  });
  const files: Record<FileName, { contentType: string; bytes: Uint8Array }> = {
    recording: load("recording"),
    inquiryRecord: load("inquiryRecord"),
  };
  const state = { requests: new Map<ClueName, string>(), evidence: new Map<FileName, string>() };

  async function eventually<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    const started = Date.now();
    let told = started;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() - started > patience) throw new WorkLoopStepFailed(what, `nothing after ${patience / 1000} s`);
      if (Date.now() - told > 10_000) {
        told = Date.now();
        deps.log(`      … still waiting for ${what} (${Math.round((told - started) / 1000)} s)`);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  async function json<T>(step: string, answer: Promise<Answer>, status: number): Promise<T> {
    const got = await answer;
    if (got.status !== status) throw new WorkLoopStepFailed(step, `HTTP ${got.status}, expected ${status}: ${got.text}`);
    return (got.text ? JSON.parse(got.text) : undefined) as T;
  }
  function check(step: string, what: string, actual: unknown, expected: unknown) {
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      throw new WorkLoopStepFailed(step, `${what} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
    }
  }

  const clues = {} as Record<ClueName, OpenedClue>;

  function unitOf(step: WorkLoopStep): string {
    const unit = clues[step.clue]?.units[step.as ?? "lead"];
    if (!unit) throw new WorkLoopStepFailed(step.label, `clue ${step.clue} has no ${step.as} unit`);
    return unit;
  }
  async function assignmentOf(step: WorkLoopStep, unitId: string) {
    const detail = await json<{
      state: string;
      assignments: { assignmentId: string; unitId: string; state: string; acceptDueOn: string | null }[];
    }>(
      step.label,
      deps.call({ service: "closure", path: `/v1/clues/${clues[step.clue].clueId}`, scopes: [`unit:${unitId}`] }),
      200,
    );
    const assignment = detail.assignments.find((a) => a.unitId === unitId);
    if (!assignment) throw new WorkLoopStepFailed(step.label, `${unitId} has no assignment on clue ${step.clue}`);
    return { ...assignment, clueState: detail.state };
  }
  async function ordersOf(step: WorkLoopStep, scopes: Scope[], query = "") {
    type Order = {
      orderId: string;
      clueId: string;
      unitId: string;
      state: string;
      escalation: { leaderId: string | null } | null;
    };
    const items: Order[] = [];
    let cursor: string | null = null;
    do {
      const path: string = `/v1/supervision-orders?limit=100${query}${cursor ? `&cursor=${cursor}` : ""}`;
      const page = await json<{ items: Order[]; nextCursor: string | null }>(
        step.label,
        deps.call({ service: "closure", path, scopes }),
        200,
      );
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items.filter((order) => order.clueId === clues[step.clue].clueId);
  }

  return { deps, files, state, clues, eventually, json, check, unitOf, assignmentOf, ordersOf };
}

export type StepContext = ReturnType<typeof createStepContext>;
/** One kind of step (`do` in the scenario file). */
export type StepKind = (ctx: StepContext, step: WorkLoopStep) => Promise<void>;
