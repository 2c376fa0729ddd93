/**
 * WAL the router writes per routed decision, by relation (issue #16): generated complaints (towns, departments and
 * conduct or service words of the default directory; a third from real-name reporters, one in nine a follow-up
 * that merges) are routed in batches through the batch router on the Postgres state, each opening stored with its
 * `ClueRouted` text as the service builds it. The WAL is read with pg_walinspect (PostgreSQL 15+, created here if missing: needs a
 * superuser, as the local trust setup has), counting only records on this schema's tables, indexes and TOAST, so
 * other schemas writing at the same time do not count. Commit records (no relation) are left out: one per batch.
 *
 *   DATABASE_URL=… npm run bench:wal -w @clueline/router -- [--decisions 5000] [--batch 200]
 *
 * stdout: one JSON line with the figures; stderr: a line per relation.
 */
import { parseArgs } from "node:util";
import type { Complaint, RoutedComplaint } from "@clueline/contracts";
import { compileDirectory, defaultDirectoryPath, loadDirectory } from "../src/directory/index.js";
import { routedRecordOf, storedValueOf } from "../src/pipeline/fan-out.js";
import { createBatchRouter } from "../src/routing/create-complaint-router.js";
import { createPostgresRouterState, openRouterDatabase } from "../src/state/index.js";

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
const b64 = (bytes: number) => Buffer.alloc(bytes, 7).toString("base64");
const routedComplaintOf = (complaint: Complaint): RoutedComplaint => ({
  complaintId: complaint.id,
  channel: complaint.channel,
  receivedAt: complaint.receivedAt,
  text: complaint.text,
  // A sealed identity the size of a name and a phone number.
  reporter:
    complaint.reporter.kind === "real-name"
      ? {
          kind: "real-name",
          hash: complaint.reporter.hash,
          identity: { alg: "A256GCM", keyId: "bench", iv: b64(12), tag: b64(16), ciphertext: b64(60) },
        }
      : { kind: "anonymous" },
  evidence: [],
  origin: { line: "12388", callId: `call-${complaint.id}` },
});

const schema = `bench_wal_${process.pid}`;
const db = await openRouterDatabase({ url, dataDir: "memory://", schema });
await db.query("create extension if not exists pg_walinspect schema public");
try {
  const routeBatch = createBatchRouter({ state: createPostgresRouterState({ db, schema }), directory: () => directory });
  const lsn = async () => (await db.query<{ lsn: string }>("select pg_current_wal_lsn()::text as lsn")).rows[0]?.lsn as string;
  const start = await lsn();
  let merged = 0;
  for (let at = 0; at < complaints.length; at += batchSize) {
    const batch = complaints.slice(at, at + batchSize);
    const routedOf = (decision: Parameters<typeof routedRecordOf>[0]["decision"], index: number) =>
      storedValueOf(routedRecordOf({ decision, complaint: routedComplaintOf(batch[index] as Complaint) }, ""));
    const outcomes = await routeBatch(batch, { routedOf });
    merged += outcomes.filter((o) => o.decision.mergedInto !== null).length;
  }
  const end = await lsn();
  const { rows } = await db.query<{ relation: string; records: number; bytes: string }>(
    `with ours as (
       select c.relfilenode, c.relname::text as relation from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = $3
       union all
       select t.relfilenode, c.relname || ' (toast)' from pg_class c join pg_namespace n on n.oid = c.relnamespace
         join pg_class t on t.oid = c.reltoastrelid where n.nspname = $3),
     records as (
       select (regexp_match(block_ref, 'rel \\d+/\\d+/(\\d+)'))[1]::oid as node, record_length
       from public.pg_get_wal_records_info($1::pg_lsn, $2::pg_lsn) where block_ref is not null)
     select o.relation, count(*)::int as records, sum(r.record_length)::text as bytes
     from records r join ours o on o.relfilenode = r.node group by o.relation order by sum(r.record_length) desc`,
    [start, end, schema],
  );
  const per = (value: number) => Math.round((value / decisions) * 10) / 10;
  let bytes = 0;
  let records = 0;
  for (const row of rows) {
    bytes += Number(row.bytes);
    records += row.records;
    process.stderr.write(`  ${row.relation}: ${per(Number(row.bytes))} B, ${per(row.records)} records / decision\n`);
  }
  process.stderr.write(
    `WAL per routed decision (${decisions}, ${merged} merged, batches of ${batchSize}): ${per(bytes)} B, ${per(records)} records\n`,
  );
  console.log(
    JSON.stringify({ decisions, merged, batchSize, walBytesPerDecision: per(bytes), walRecordsPerDecision: per(records) }),
  );
} finally {
  await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await db.close();
}
