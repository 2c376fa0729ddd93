import { actionSteps } from "./action-steps.js";
import { evidenceSteps } from "./evidence-steps.js";
import { returnSteps } from "./return-steps.js";
import {
  type ClueName,
  type ClueSpec,
  type OpenedClue,
  type WorkLoopDeps,
  type WorkLoopResult,
  type WorkLoopScenario,
  WorkLoopStepFailed,
  workLoopScenario,
} from "./scenario.js";
import { createStepContext } from "./step-context.js";
import { submitComplaint } from "./submit-complaint.js";
import { supervisionSteps } from "./supervision-steps.js";

const stepKinds = { ...actionSteps, ...evidenceSteps, ...returnSteps, ...supervisionSteps };

/**
 * The inspector's work loop of issue 17, step by step through the real HTTP edges, from test/scenario/work-loop.json:
 * the same code path for `npm run demo -- --work-loop` and test/e2e/work-loop.it.test.ts. It checks every answer
 * itself (a mismatch throws {@link WorkLoopStepFailed}) and returns, per step, the lifecycle and audit events the
 * step must have published, for the caller to find on Kafka. Re-runnable on the same system: its complaints are
 * anonymous (rule 8 merges none) but for one real-name reporter new in each run (only its own supplement merges),
 * its call ids and idempotency keys carry the run's id, and it acts only on the clues its own complaints opened; it
 * sets the deadline scan back in step before they open their clocks. Logs labels, ids and states only: no
 * reporter's contact and no free text a reporter wrote is printed.
 *
 * @example
 * const { clues, published } = await runWorkLoop({ call, setScanClockAhead, log: console.log, runId: "r1" });
 */
export async function runWorkLoop(deps: WorkLoopDeps, scenario: WorkLoopScenario = workLoopScenario): Promise<WorkLoopResult> {
  const ctx = createStepContext(deps, scenario);
  const { clues, eventually } = ctx;
  const published: WorkLoopResult["published"] = [];
  deps.log(
    `Work loop (issue 17), run ${deps.runId}: ${Object.keys(scenario.clues).length} complaints, ${scenario.steps.length} steps\n`,
  );
  await deps.setScanClockAhead(0);
  for (const [name, spec] of Object.entries(scenario.clues) as [ClueName, ClueSpec][]) {
    clues[name] = await openClue(name, spec);
    published.push({ label: spec.label, clueId: clues[name].clueId, events: ["clue.opened"], audit: [] });
  }
  for (const step of scenario.steps) {
    const kind = stepKinds[step.do];
    if (!kind) throw new WorkLoopStepFailed(step.label, `unknown step kind ${step.do}`);
    await kind(ctx, step);
    published.push({
      label: step.label,
      clueId: clues[step.clue]?.clueId ?? "",
      events: step.events ?? [],
      audit: step.audit ?? [],
    });
  }
  return { clues, published };

  async function openClue(name: ClueName, spec: ClueSpec): Promise<OpenedClue> {
    const decision = await submitComplaint(ctx, { label: spec.label, key: name, spec });
    await eventually(`clue ${decision.clueId} in the closure ledger`, async () => {
      const found = await deps.call({ service: "closure", path: `/v1/clues/${decision.clueId}`, scopes: ["commission"] });
      return found.status === 200 ? true : undefined;
    });
    const units = {
      lead: decision.discipline?.lead,
      assist: decision.discipline?.assist[0],
      informed: decision.discipline?.informed[0],
      reassigned: undefined,
    };
    const roles = Object.entries(units)
      .filter(([, unit]) => unit)
      .map(([role, unit]) => `${role} ${unit}`);
    deps.log(`● ${spec.label}\n    ${spec.service} 202 → clue ${decision.clueId}: ${roles.join(", ")}`);
    return { clueId: decision.clueId, decision, units };
  }
}
