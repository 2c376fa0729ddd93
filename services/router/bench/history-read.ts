/**
 * The router's per-batch history read against a growing history: N clues, spread over 25 days, about 40 towns and
 * 12 departments (half of them from real-name reporters), are written through the state's batch writes; then one
 * batch read (rule 9's stored decisions for 50 complaints, rule 5's counts for 42 subjects, rule 8's clues of 25
 * reporters) is timed. Reports the read's mean time and the write rate.
 *
 *   npx tsx --conditions source services/router/bench/history-read.ts [--clues 100000] [--reads 50]
 *
 * Uses DATABASE_URL (default: in-memory PGlite), in a schema of its own that is dropped at the end.
 */
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import type { RoutingDecision } from "@clueline/contracts";
import type { SubjectKey } from "../src/routing/history.js";
import { createPostgresRouterState, type DecisionRecord, openRouterDatabase } from "../src/state/index.js";

const { values } = parseArgs({
  options: { clues: { type: "string", default: "100000" }, reads: { type: "string", default: "50" } },
});
const clues = Number(values.clues);
const reads = Number(values.reads);
const dayMs = 86_400_000;
const schema = `bench_history_${process.pid}`;
const db = await openRouterDatabase({ url: process.env.DATABASE_URL, dataDir: "memory://", schema });
const state = createPostgresRouterState({ db, schema });

const towns = Array.from({ length: 40 }, (_, n) => `town:t${n}` as SubjectKey);
const departments = Array.from({ length: 12 }, (_, n) => `department:d${n}` as SubjectKey);
const start = Date.parse("2026-11-01T00:00:00Z");
const spacing = (25 * dayMs) / clues;
const decision = (id: string, at: string): RoutingDecision => ({
  decisionId: id,
  complaintId: id,
  clueId: `clue-${id}`,
  nature: "discipline",
  categories: ["bribe-demand"],
  subjects: { departments: [], towns: [] },
  discipline: { lead: "dc", assist: [], informed: [] },
  service: null,
  transfer: null,
  mergedInto: null,
  reasons: [],
  decidedAt: at,
});

try {
  const writing = performance.now();
  for (let n = 0; n < clues; ) {
    const records: DecisionRecord[] = [];
    for (; records.length < 1_000 && n < clues; n++) {
      const at = new Date(start + n * spacing).toISOString();
      records.push({
        decision: decision(`h${n}`, at),
        openedAt: at,
        reporterHash: n % 2 === 1 ? `reporter-${n % 5_000}` : null,
        subjects: [towns[n % towns.length] as SubjectKey, departments[n % departments.length] as SubjectKey],
      });
    }
    await state.withTransaction((tx) => tx.recordDecisions(records));
    if (n % 50_000 === 0) process.stderr.write(`[history-read] ${n} clues written\n`);
  }
  const writeSeconds = (performance.now() - writing) / 1000;
  // As autovacuum (PostgreSQL) or the maintenance pass (PGlite) would have by then: the planner needs statistics.
  await db.query(`ANALYZE "${schema}".clues`);
  await db.query(`ANALYZE "${schema}".clue_subjects`);
  await db.query(`ANALYZE "${schema}".subject_counts`);

  const now = start + 25 * dayMs;
  const query = {
    complaintIds: Array.from({ length: 50 }, (_, n) => `new-${n}`),
    history: {
      subjects: [...towns.slice(0, 30), ...departments],
      repeatSince: {
        earliest: new Date(now - 30 * dayMs - 5_000).toISOString(),
        latest: new Date(now - 30 * dayMs).toISOString(),
      },
      reporterHashes: Array.from({ length: 25 }, (_, n) => `reporter-${2 * n + 1}`),
      mergeSince: new Date(now - 7 * dayMs).toISOString(),
    },
  };
  const read = () => state.withTransaction((tx) => tx.readBatch(query));
  const first = await read();
  if (first.history?.countedFromLatest.get(towns[0] as SubjectKey) !== Math.ceil(clues / towns.length))
    throw new Error("rule 5's count is not the number of clues written about the town");
  for (let n = 0; n < 5; n++) await read();
  const timing = performance.now();
  for (let n = 0; n < reads; n++) await read();
  const readMs = (performance.now() - timing) / reads;
  console.log(
    JSON.stringify({
      bench: "router-history-read",
      clues,
      readMs: Number(readMs.toFixed(2)),
      cluesWrittenPerSecond: Math.round(clues / writeSeconds),
      cores: cpus().length,
      state: process.env.DATABASE_URL ? "postgresql" : "pglite",
    }),
  );
} finally {
  await db.query(`DROP SCHEMA "${schema}" CASCADE`);
  await db.close();
}
