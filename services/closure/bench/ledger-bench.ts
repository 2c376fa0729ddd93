// Ledger throughput on PostgreSQL: routed decisions applied/s, ledger updates (assignment actions)/s and lifecycle
// events relayed to Kafka/s. Usage: DATABASE_URL=… [KAFKA_BROKERS=…] npx tsx bench/ledger-bench.ts [clues] [concurrency]
import { createKafka, createPublisher, ensureTopics, parseBrokers } from "@clueline/bus";
import pino from "pino";
import { ulid } from "ulid";
import { createLedger } from "../src/ledger/ledger.js";
import { createOutboxRelay } from "../src/outbox/outbox-relay.js";
import { routedFixture, testDeadlines } from "../src/testing/fixtures.js";
import { measure, openBenchDatabase, report } from "./bench-database.js";

const clues = Number(process.argv[2] ?? 10_000);
const concurrency = Number(process.argv[3] ?? 32);
const { db, drop } = await openBenchDatabase(concurrency);
try {
  // A fixed Monday in a covered year, so deadlines never reach into a year the calendar lacks.
  const now = new Date("2026-03-02T10:00:00+08:00");
  const ledger = createLedger({ db, deadlines: testDeadlines(), commissionUnit: "dc", clock: () => now });
  const decisions = Array.from({ length: clues }, (_, n) =>
    routedFixture({ discipline: { lead: `town-${n % 40}`, assist: [`team-${n % 8}`], informed: ["dc"] } }),
  );
  const routed = await measure({
    items: decisions,
    concurrency,
    work: (routed) => ledger.applyRouted({ key: { source: "/bench", id: ulid() }, routed }),
  });
  report(`routed decisions applied (${clues} clues, 2 assignments each)`, `${routed.perSecond}/s`);

  const { rows } = await db.query<{ assignment_id: string; unit_id: string }>("select assignment_id, unit_id from assignments");
  const act = (action: object) => (a: { assignment_id: string; unit_id: string }) =>
    ledger.act({ assignmentId: a.assignment_id, unitId: a.unit_id, subject: "bench", act: action as never });
  const accept = await measure({ items: rows, concurrency, work: act({ action: "accept" }) });
  report(`ledger updates: accept (${rows.length})`, `${accept.perSecond}/s`);
  const progress = await measure({ items: rows, concurrency, work: act({ action: "progress", note: "进展" }) });
  report(`ledger updates: progress (${rows.length})`, `${progress.perSecond}/s`);
  const conclude = await measure({
    items: rows,
    concurrency,
    work: act({ action: "conclude", result: "resolved", summary: "办结" }),
  });
  report(`ledger updates: conclude, clue conclusion (${rows.length})`, `${conclude.perSecond}/s`);

  const brokers = process.env.KAFKA_BROKERS;
  if (brokers) {
    const logger = pino({ level: "warn" });
    const kafka = createKafka({ brokers: parseBrokers(brokers), clientId: "closure-bench", logger });
    const topic = `t-bench-${ulid().toLowerCase()}-clueline.clue.lifecycle.v1`;
    await ensureTopics({ kafka, topics: [{ name: topic, partitions: 6 }] });
    const publisher = createPublisher({ kafka, logger });
    await publisher.connect();
    const relay = createOutboxRelay({
      db,
      publisher,
      logger,
      topics: { lifecycle: topic, audit: topic },
      source: "/bench",
      instanceId: "b",
    });
    const started = performance.now();
    let relayed = 0;
    for (let n = await relay.relayOnce(); n > 0; n = await relay.relayOnce()) relayed += n;
    const seconds = (performance.now() - started) / 1000;
    report(`lifecycle events relayed to Kafka (${relayed}, acks=all)`, `${Math.round(relayed / seconds)}/s`);
    await publisher.close();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  } else {
    report("lifecycle events relayed to Kafka", "skipped (set KAFKA_BROKERS)");
  }
} finally {
  await drop();
}
