// The work-loop runner (issue 17): the one code path of test/e2e/work-loop.it.test.ts and `npm run demo -- --work-loop`.
export { runWorkLoop } from "./run-work-loop.js";
export {
  type OpenedClue,
  type WorkLoopDeps,
  type WorkLoopResult,
  type WorkLoopScenario,
  WorkLoopStepFailed,
  workLoopScenario,
} from "./scenario.js";
export { systemHands } from "./system-hands.js";
