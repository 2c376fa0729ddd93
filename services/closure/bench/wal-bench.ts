// WAL a routed decision writes into the ledger, by relation: the figure issue #16 asks to halve. Applies routed
// decisions in the consumer's batches to a fresh ledger schema on PostgreSQL and reads the WAL they wrote with
// pg_walinspect (`schemaWalSince` of @clueline/db): only records on this schema's relations count, so other
// databases and schemas writing at the same time do not. Commit records (no relation) are left out: one per batch.
// Then the outbox relay sends what the routing listed (to a broker that acknowledges everything) and the WAL of its
// marks is reported apart: the routing figure is the one the findings track.
// Usage: DATABASE_URL=… npx tsx --conditions=source bench/wal-bench.ts [decisions=5000] [batch=200]
import type { Publisher } from "@clueline/bus";
import { newId } from "@clueline/contracts";
import { schemaWalSince, walPosition } from "@clueline/db";
import pino from "pino";
import { createLedger } from "../src/ledger/ledger.js";
import { createOutboxRelay } from "../src/outbox/outbox-relay.js";
import { routedFixture, testDeadlines, testSealer } from "../src/testing/fixtures.js";
import { openBenchDatabase, report } from "./bench-database.js";

const decisions = Number(process.argv[2] ?? 5_000);
const batchSize = Number(process.argv[3] ?? 200);
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("wal-bench reads PostgreSQL's WAL: set DATABASE_URL");
  process.exit(2);
}

const { db, drop } = await openBenchDatabase(4);
try {
  const now = new Date("2026-03-02T10:00:00+08:00");
  const ledger = createLedger({ db, deadlines: testDeadlines(), commissionUnit: "dc", sealer: testSealer(), clock: () => now });
  const routed = Array.from({ length: decisions }, (_, n) =>
    routedFixture({ discipline: { lead: `town-${n % 40}`, assist: [`team-${n % 8}`], informed: ["dc"] } }),
  );
  const schema = (await db.query<{ schema: string }>("select current_schema() as schema")).rows[0]?.schema as string;
  const from = await walPosition(db);
  for (let at = 0; at < routed.length; at += batchSize) {
    const batch = routed.slice(at, at + batchSize).map((r) => ({ key: { source: "/bench", id: newId() }, routed: r }));
    await ledger.applyRoutedBatch(batch);
    if (at % (batchSize * 10) === 0) process.stderr.write(`applied ${at + batch.length}/${decisions}\n`);
  }
  const byRelation = await schemaWalSince(db, { schema, from });
  const per = (value: number) => Math.round((value / decisions) * 10) / 10;
  for (const row of byRelation) report(`  ${row.relation}`, `${per(row.bytes)} B, ${per(row.records)} records / decision`);
  const bytes = byRelation.reduce((sum, row) => sum + row.bytes, 0);
  const records = byRelation.reduce((sum, row) => sum + row.records, 0);
  report(`WAL per routed decision (${decisions}, batches of ${batchSize})`, `${per(bytes)} B, ${per(records)} records`);
  const publisher = { publishAll: async () => {} } as unknown as Publisher;
  const relay = createOutboxRelay({
    db,
    publisher,
    logger: pino({ level: "warn" }),
    topics: { lifecycle: "lifecycle", audit: "audit" },
    source: "/bench",
    instanceId: "wal-bench",
  });
  const relayFrom = await walPosition(db);
  while ((await relay.relayOnce()) > 0) {}
  const relayed = await schemaWalSince(db, { schema, from: relayFrom });
  for (const row of relayed) report(`  relay: ${row.relation}`, `${per(row.bytes)} B, ${per(row.records)} records / decision`);
  const relayBytes = relayed.reduce((sum, row) => sum + row.bytes, 0);
  const relayRecords = relayed.reduce((sum, row) => sum + row.records, 0);
  report("WAL of the relay's marks per routed decision", `${per(relayBytes)} B, ${per(relayRecords)} records`);
  console.log(
    JSON.stringify({
      decisions,
      batchSize,
      walBytesPerDecision: per(bytes),
      walRecordsPerDecision: per(records),
      relayWalBytesPerDecision: per(relayBytes),
    }),
  );
} finally {
  await drop();
}
