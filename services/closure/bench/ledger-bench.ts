// Ledger throughput: routed decisions applied/s (one at a time, and a fetched batch per transaction as the consumer
// does), ledger updates (assignment actions)/s and lifecycle events relayed to Kafka/s; with KAFKA_BROKERS also
// routed decisions consumed from Kafka end to end. PostgreSQL with DATABASE_URL, else PGlite in memory.
// Usage: [DATABASE_URL=…] [KAFKA_BROKERS=…] npx tsx bench/ledger-bench.ts [clues] [concurrency] [batch size]
import { createConsumerRunner, createKafka, createPublisher, ensureTopics, parseBrokers } from "@clueline/bus";
import { clueRoutedTopic, newId } from "@clueline/contracts";
import { createMetricsRegistry } from "@clueline/kit";
import pino from "pino";
import { ulid } from "ulid";
import { createLedgerBatchHandler } from "../src/consume/ledger-handlers.js";
import { createLedger } from "../src/ledger/ledger.js";
import { createOutboxRelay } from "../src/outbox/outbox-relay.js";
import { routedFixture, testDeadlines, testSealer } from "../src/testing/fixtures.js";
import { countRows } from "../src/testing/until.js";
import { measure, openBenchDatabase, report } from "./bench-database.js";

const clues = Number(process.argv[2] ?? 10_000);
const concurrency = Number(process.argv[3] ?? 32);
const batchSize = Number(process.argv[4] ?? 200);
// The consumer's partitionsConsumedConcurrently (CONSUMER_PARTITIONS_CONCURRENTLY): batches in flight at once.
const batchesAtOnce = 2;
const { db, drop } = await openBenchDatabase(concurrency);
const engine = db.engine;
const brokers = process.env.KAFKA_BROKERS;
const logger = pino({ level: "warn" });
const kafka = brokers ? createKafka({ brokers: parseBrokers(brokers), clientId: "closure-bench", logger }) : undefined;
const benchTopics: string[] = [];
try {
  // A fixed Monday in a covered year, so deadlines never reach into a year the calendar lacks.
  const now = new Date("2026-03-02T10:00:00+08:00");
  const ledger = createLedger({ db, deadlines: testDeadlines(), commissionUnit: "dc", sealer: testSealer(), clock: () => now });
  const decisionsFor = (count: number) =>
    Array.from({ length: count }, (_, n) =>
      routedFixture({ discipline: { lead: `town-${n % 40}`, assist: [`team-${n % 8}`], informed: ["dc"] } }),
    );
  const routed = await measure({
    items: decisionsFor(clues),
    concurrency,
    work: (routed) => ledger.applyRouted({ key: { source: "/bench", id: newId() }, routed }),
  });
  report(`[${engine}] routed decisions applied one by one (${clues}, ${concurrency} at once)`, `${routed.perSecond}/s`);

  const batches = chunk(decisionsFor(clues), batchSize);
  const batched = await measure({
    items: batches,
    concurrency: batchesAtOnce,
    work: (batch) => ledger.applyRoutedBatch(batch.map((routed) => ({ key: { source: "/bench", id: newId() }, routed }))),
  });
  const label = `[${engine}] routed decisions applied in batches of ${batchSize} (${batchesAtOnce} at once)`;
  report(label, `${Math.round(clues / batched.seconds)}/s`);

  if (kafka) {
    const topic = `t-bench-${ulid().toLowerCase()}-clueline.clue.routed.v1`;
    benchTopics.push(topic, `${topic}.dlq`);
    await ensureTopics({ kafka, topics: [{ name: topic, partitions: 6 }], withDlq: true });
    const publisher = createPublisher({ kafka, logger });
    await publisher.connect();
    const records = decisionsFor(clues).map((d) => ({
      topic,
      ...clueRoutedTopic.serialize(d, { source: "/bench", id: d.decision.decisionId }),
    }));
    for (const part of chunk(records, 2_000)) await publisher.publishAll(part);
    const before = await countRows(db, "clues");
    const runner = createConsumerRunner({
      kafka,
      publisher,
      logger,
      metrics: createMetricsRegistry({ service: "closure" }),
      groupId: `bench-${ulid().toLowerCase()}`,
      topics: [topic],
      batchHandler: createLedgerBatchHandler({ ledger, routedTopic: topic }),
      partitionsConsumedConcurrently: batchesAtOnce,
    });
    await runner.start(); // joined the group: from here on it is consuming
    const started = performance.now();
    while ((await countRows(db, "clues")) < before + clues) await new Promise((resolve) => setTimeout(resolve, 20));
    const seconds = (performance.now() - started) / 1000;
    await runner.stop();
    await publisher.close();
    report(`[${engine}] routed decisions consumed from Kafka (${clues}, 6 partitions)`, `${Math.round(clues / seconds)}/s`);
  }

  const { rows } = await db.query<{ assignment_id: string; unit_id: string }>(
    "select assignment_id, unit_id from assignments limit $1",
    [clues * 2],
  );
  const act = (action: object) => (a: { assignment_id: string; unit_id: string }) =>
    ledger.act({ assignmentId: a.assignment_id, unitId: a.unit_id, subject: "bench", act: action as never });
  const accept = await measure({ items: rows, concurrency, work: act({ action: "accept" }) });
  report(`[${engine}] ledger updates: accept (${rows.length})`, `${accept.perSecond}/s`);
  const progress = await measure({ items: rows, concurrency, work: act({ action: "progress", note: "进展" }) });
  report(`[${engine}] ledger updates: progress (${rows.length})`, `${progress.perSecond}/s`);
  const conclude = await measure({
    items: rows,
    concurrency,
    work: act({ action: "conclude", result: "resolved", summary: "办结" }),
  });
  report(`[${engine}] ledger updates: conclude, clue conclusion (${rows.length})`, `${conclude.perSecond}/s`);

  if (kafka) {
    const topic = `t-bench-${ulid().toLowerCase()}-clueline.clue.lifecycle.v1`;
    benchTopics.push(topic);
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
    report(`[${engine}] lifecycle events relayed to Kafka (${relayed}, acks=all)`, `${Math.round(relayed / seconds)}/s`);
    await publisher.close();
  } else {
    report("lifecycle events relayed to Kafka", "skipped (set KAFKA_BROKERS)");
  }
} finally {
  if (kafka && benchTopics.length > 0) {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: benchTopics });
    await admin.disconnect();
  }
  await drop();
}

function chunk<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, n) => items.slice(n * size, (n + 1) * size));
}
