// WAL a routed decision writes into the ledger, by relation: the figure issue #16 asks to halve. Applies routed
// decisions in the consumer's batches to a fresh ledger schema on PostgreSQL and reads the WAL they wrote with
// pg_walinspect (PostgreSQL 15+, created here if missing: needs a superuser, as the local trust setup has),
// counting only records on this schema's tables, indexes, TOAST and sequences, so other databases and schemas
// writing at the same time do not count. Commit records (no relation) are left out: one per batch.
// Usage: DATABASE_URL=… npx tsx --conditions=source bench/wal-bench.ts [decisions=5000] [batch=200]
import { newId } from "@clueline/contracts";
import pg from "pg";
import { createLedger } from "../src/ledger/ledger.js";
import { routedFixture, testDeadlines, testSealer } from "../src/testing/fixtures.js";
import { openBenchDatabase, report } from "./bench-database.js";

const decisions = Number(process.argv[2] ?? 5_000);
const batchSize = Number(process.argv[3] ?? 200);
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("wal-bench reads PostgreSQL's WAL: set DATABASE_URL");
  process.exit(2);
}

const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query("create extension if not exists pg_walinspect");
const { db, drop } = await openBenchDatabase(4);
try {
  const now = new Date("2026-03-02T10:00:00+08:00");
  const ledger = createLedger({ db, deadlines: testDeadlines(), commissionUnit: "dc", sealer: testSealer(), clock: () => now });
  const routed = Array.from({ length: decisions }, (_, n) =>
    routedFixture({ discipline: { lead: `town-${n % 40}`, assist: [`team-${n % 8}`], informed: ["dc"] } }),
  );
  const schema = (await db.query<{ schema: string }>("select current_schema() as schema")).rows[0]?.schema as string;
  const start = (await admin.query<{ lsn: string }>("select pg_current_wal_lsn()::text as lsn")).rows[0]?.lsn as string;
  for (let at = 0; at < routed.length; at += batchSize) {
    const batch = routed.slice(at, at + batchSize).map((r) => ({ key: { source: "/bench", id: newId() }, routed: r }));
    await ledger.applyRoutedBatch(batch);
    if (at % (batchSize * 10) === 0) process.stderr.write(`applied ${at + batch.length}/${decisions}\n`);
  }
  const end = (await admin.query<{ lsn: string }>("select pg_current_wal_lsn()::text as lsn")).rows[0]?.lsn as string;
  const { rows } = await admin.query<{ relation: string; records: number; bytes: string; fpi: string }>(
    `with ours as (
       select c.relfilenode, c.relname::text as relation from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = $3
       union all
       select t.relfilenode, c.relname || ' (toast)' from pg_class c join pg_namespace n on n.oid = c.relnamespace
         join pg_class t on t.oid = c.reltoastrelid where n.nspname = $3),
     records as (
       select (regexp_match(block_ref, 'rel \\d+/\\d+/(\\d+)'))[1]::oid as node, record_length, fpi_length
       from pg_get_wal_records_info($1::pg_lsn, $2::pg_lsn) where block_ref is not null)
     select o.relation, count(*)::int as records, sum(r.record_length)::text as bytes, sum(r.fpi_length)::text as fpi
     from records r join ours o on o.relfilenode = r.node group by o.relation order by sum(r.record_length) desc`,
    [start, end, schema],
  );
  const per = (value: number) => Math.round((value / decisions) * 10) / 10;
  let bytes = 0;
  let records = 0;
  for (const row of rows) {
    bytes += Number(row.bytes);
    records += row.records;
    report(`  ${row.relation}`, `${per(Number(row.bytes))} B, ${per(row.records)} records / decision`);
  }
  report(`WAL per routed decision (${decisions}, batches of ${batchSize})`, `${per(bytes)} B, ${per(records)} records`);
  console.log(JSON.stringify({ decisions, batchSize, walBytesPerDecision: per(bytes), walRecordsPerDecision: per(records) }));
} finally {
  await drop();
  await admin.end();
}
