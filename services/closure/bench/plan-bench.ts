// Planning a clue's opening in process (no database): the row, assignments, clocks, visibility and lifecycle
// events that `applyRoutedBatch` writes for each new clue, for 1,000 routed decisions (two in three a discipline
// clue led by a town and assisted by a team; one in three a service clue), twenty times per round.
// Usage: npx tsx --conditions=source bench/plan-bench.ts [rounds]
import { memoizeDeadlineClock } from "../src/deadlines/deadline-clock.js";
import { planOpening } from "../src/ledger/plan-opening.js";
import { routedFixture, testDeadlines } from "../src/testing/fixtures.js";

const rounds = Number(process.argv[2] ?? 6);
const deadlines = memoizeDeadlineClock(testDeadlines());
const items = Array.from({ length: 1_000 }, (_, index) =>
  routedFixture(
    index % 3 === 0
      ? { nature: "service", discipline: null, service: { lead: "dept-market", coLeads: [], informed: ["town-chengguan"] } }
      : {},
  ),
);
const perRound: number[] = [];
for (let round = 0; round < rounds; round++) {
  const started = performance.now();
  let clocks = 0;
  for (let repeat = 0; repeat < 20; repeat++) {
    const ctx = { now: new Date(), actor: { kind: "system" as const, id: "bench" }, deadlines };
    for (const item of items) clocks += planOpening(ctx, item).deadlines.length;
  }
  const microseconds = ((performance.now() - started) * 1000) / (20 * items.length);
  perRound.push(microseconds);
  process.stderr.write(`round ${round + 1}: ${microseconds.toFixed(1)} µs per opening (${clocks} clocks)\n`);
}
// The last round, after V8 has compiled the planner, is what a running closure pays.
console.log(JSON.stringify({ bench: "closure-plan-opening", microsecondsPerOpening: Number(perRound.at(-1)?.toFixed(1)) }));
