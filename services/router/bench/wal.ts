/**
 * WAL the router writes per routed decision, by relation (issue #16): generated complaints (towns, departments and
 * conduct or service words of the default directory; a third from real-name reporters, one in nine a follow-up
 * that merges) are routed in batches through the batch router on the Postgres state, each opening stored with its
 * `ClueRouted` text as the service builds it. The WAL is read with pg_walinspect (`schemaWalSince` of @clueline/db):
 * only records on this schema's relations count, so other schemas writing at the same time do not. Commit records
 * (no relation) are left out: one per batch. The router's own CPU (this process: routing, building the values, the
 * statements' parameters, the driver) is reported per decision too, for changes that trade it for WAL.
 *
 *   DATABASE_URL=… npm run bench:wal -w @clueline/router -- [--decisions 5000] [--batch 200]
 *
 * stdout: one JSON line with the figures; stderr: a line per relation.
 */
import { parseArgs } from "node:util";
import type { Complaint } from "@clueline/contracts";
import { schemaWalSince, walPosition } from "@clueline/db";
import { compileDirectory, defaultDirectoryPath, loadDirectory } from "../src/directory/index.js";
import { routedRecordOf, storedValueOf } from "../src/pipeline/fan-out.js";
import { createBatchRouter } from "../src/routing/create-complaint-router.js";
import { createPostgresRouterState, openRouterDatabase } from "../src/state/index.js";
import { routedComplaintFor } from "../src/testing/routed-texts.js";

const { values } = parseArgs({
  options: { decisions: { type: "string", default: "5000" }, batch: { type: "string", default: "200" } },
});
const decisions = Number(values.decisions);
const batchSize = Number(values.batch);
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("the WAL bench reads PostgreSQL's WAL: set DATABASE_URL");
  process.exit(2);
}

const directory = compileDirectory(await loadDirectory(defaultDirectoryPath));
const { source } = directory;
const places = [...source.towns.map((t) => t.name), ...source.departments.map((d) => d.name)];
const issues = source.categories.map((c) => c.keywords[0] ?? "情况");
const complaints: Complaint[] = [];
for (let n = 0; n < decisions; n++) {
  // ~100 complaints a day, as a busy district receives.
  const receivedAt = new Date(Date.parse("2026-01-01T08:00:00+08:00") + n * 864_000).toISOString();
  const earlier = complaints[n - 3];
  if (n % 9 === 3 && earlier) {
    // A real-name reporter following up on their own complaint (补充反映): rule 8 merges it.
    complaints.push({ ...earlier, id: `wal-${n}`, receivedAt, text: `补充反映：${earlier.text}` });
    continue;
  }
  complaints.push({
    id: `wal-${n}`,
    channel: "hotline",
    receivedAt,
    text: `群众反映${places[(n * 7) % places.length]}的工作人员${issues[(n * 13) % issues.length]}，希望尽快处理。`,
    reporter: n % 3 === 0 ? { kind: "real-name", hash: n.toString(16).padStart(64, "0") } : { kind: "anonymous" },
  });
}

const schema = `bench_wal_${process.pid}`;
const db = await openRouterDatabase({ url, dataDir: "memory://", schema });
try {
  const routeBatch = createBatchRouter({ state: createPostgresRouterState({ db, schema }), directory: () => directory });
  const from = await walPosition(db);
  const cpuFrom = process.cpuUsage();
  let merged = 0;
  for (let at = 0; at < complaints.length; at += batchSize) {
    const batch = complaints.slice(at, at + batchSize);
    const routedOf = (decision: Parameters<typeof routedRecordOf>[0]["decision"], index: number) =>
      storedValueOf(routedRecordOf({ decision, complaint: routedComplaintFor(batch[index] as Complaint) }, ""));
    const outcomes = await routeBatch(batch, { routedOf });
    merged += outcomes.filter((o) => o.decision.mergedInto !== null).length;
  }
  const cpu = process.cpuUsage(cpuFrom);
  const byRelation = await schemaWalSince(db, { schema, from });
  const per = (value: number) => Math.round((value / decisions) * 10) / 10;
  for (const row of byRelation) {
    process.stderr.write(`  ${row.relation}: ${per(row.bytes)} B, ${per(row.records)} records / decision\n`);
  }
  const bytes = byRelation.reduce((sum, row) => sum + row.bytes, 0);
  const records = byRelation.reduce((sum, row) => sum + row.records, 0);
  const routerCpuUs = per(cpu.user + cpu.system);
  process.stderr.write(
    `WAL per routed decision (${decisions}, ${merged} merged, batches of ${batchSize}): ${per(bytes)} B, ${per(records)} records; router CPU ${routerCpuUs} µs\n`,
  );
  console.log(
    JSON.stringify({
      decisions,
      merged,
      batchSize,
      walBytesPerDecision: per(bytes),
      walRecordsPerDecision: per(records),
      routerCpuUsPerDecision: routerCpuUs,
    }),
  );
} finally {
  await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await db.close();
}
