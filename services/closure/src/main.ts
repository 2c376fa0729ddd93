// The closure service's only file with side effects: read config, build, start, stop in reverse on SIGTERM.

import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { fileURLToPath } from "node:url";
import {
  createConsumerRunner,
  createKafka,
  createPublisher,
  createTopicPreparer,
  ensureTopics,
  parseBrokers,
} from "@clueline/bus";
import { prefixedTopicNames } from "@clueline/contracts";
import { DirectoryInvalid, defaultDirectoryPath } from "@clueline/directory";
import { createEvidenceStore } from "@clueline/evidence";
import { createIdentitySealer, parseKeys } from "@clueline/identity";
import {
  createLogger,
  createMetricsRegistry,
  createShutdown,
  createTokenVerifier,
  describeConfig,
  startHttpServer,
  startMaintenance,
  tokenVerificationOf,
} from "@clueline/kit";
import { createApp } from "./app.js";
import { loadChineseDaysSource } from "./calendar/index.js";
import { createConductWatch } from "./conduct/conduct-watch.js";
import { loadClosureConfig, policyOf, s3SettingsOf } from "./config.js";
import { createLedgerBatchHandler } from "./consume/ledger-handlers.js";
import { openLedgerDatabase } from "./db/open-ledger-database.js";
import { createSingletonLoop } from "./db/singleton-loop.js";
import { createDeadlineScan } from "./deadline-scan/deadline-scan.js";
import { createPendingDeadlineResolver } from "./deadline-scan/pending-deadlines.js";
import { createCalendarHealth } from "./deadlines/calendar-health.js";
import { createDeadlineClock } from "./deadlines/deadline-clock.js";
import { createReloadableCalendar } from "./deadlines/reloadable-calendar.js";
import { loadClosureDirectory } from "./directory.js";
import { createClientAddress } from "./feedback/client-address.js";
import { createRateLimiter } from "./feedback/rate-limiter.js";
import { createLedger } from "./ledger/ledger.js";
import { createOutboxRelay } from "./outbox/outbox-relay.js";
import { createSupervisionClocks } from "./supervision/supervision-clocks.js";

const config = loadClosureConfig(process.env);
const logger = createLogger({ name: "closure", level: config.LOG_LEVEL });
logger.info({ config: describeConfig(config) }, "starting");
const shutdown = createShutdown({ logger });
// Served on /metrics by the app; the consumer counts its dead letters there too.
const metrics = createMetricsRegistry({ service: "closure" });
const instanceId = config.INSTANCE_ID ?? `${hostname()}-${process.pid}`;

const calendarFile = config.CALENDAR_FILE ?? fileURLToPath(new URL("../calendar/local.yaml", import.meta.url));
const { calendar, reload: reloadCalendar } = await createReloadableCalendar({
  base: loadChineseDaysSource(),
  file: calendarFile,
  logger,
  readFile: (path) => readFile(path, "utf8"),
});

const directoryPath = config.DIRECTORY_FILE ?? defaultDirectoryPath;
const directory = await loadClosureDirectory({ path: directoryPath, logger }).catch((error: unknown) => {
  // Nothing good to fall back on yet: refuse to start, naming each problem (the thrown error lists them too).
  if (error instanceof DirectoryInvalid)
    logger.fatal({ path: directoryPath, problems: error.problems }, "directory file invalid");
  throw error;
});
const stopDirectoryWatch = directory.watch({ intervalMs: config.DIRECTORY_POLL_MS });
shutdown.add("directory watch", async () => stopDirectoryWatch());
logger.info({ path: directoryPath }, "directory loaded");

const db = await openLedgerDatabase({
  url: config.DATABASE_URL,
  poolSize: config.DATABASE_POOL_SIZE,
  pgliteDataDir: config.PGLITE_DATA_DIR,
});
shutdown.add("database", () => db.close());
logger.info({ engine: db.engine }, "ledger ready");
if (db.engine === "pglite" && config.PGLITE_VACUUM_MS > 0) {
  const work = () => db.query("vacuum (analyze)");
  shutdown.add("pglite vacuum", startMaintenance({ name: "pglite-vacuum", intervalMs: config.PGLITE_VACUUM_MS, logger, work }));
}

const calendarHealth = createCalendarHealth({ db, calendar, calendarFile, logger, clock: () => new Date() });
const startupCalendar = await calendarHealth.report();
if (startupCalendar.status !== "ok") {
  // Nothing stops: clocks that need a missing year are recorded calendar-pending (see /health/calendar).
  const level = startupCalendar.status === "degraded" ? "error" : "warn";
  logger[level]({ calendar: startupCalendar, calendarFile }, "the working-day calendar lacks a year that deadlines need");
}
const deadlines = createDeadlineClock({ calendar, policy: policyOf(config), onMissingYear: calendarHealth.noteMissingYear });
// Every process re-reads the operator file, since every process dates clocks; the scan's holder then computes
// the clocks that waited for a year the file now has.
const calendarReload = setInterval(() => {
  reloadCalendar().catch((error: unknown) =>
    logger.error(
      { errorClass: error instanceof Error ? error.name : "unknown", calendarFile },
      "cannot re-read the calendar file",
    ),
  );
}, config.SCAN_INTERVAL_MS);
calendarReload.unref();
shutdown.add("calendar reload", async () => clearInterval(calendarReload));
const sealer = createIdentitySealer({
  keys: parseKeys(config.IDENTITY_KEYS),
  activeKeyId: config.IDENTITY_ACTIVE_KEY,
  // Closure never computes merge hashes; a throwaway key satisfies the ring when none is configured.
  hashKey: config.IDENTITY_HASH_KEY ? Buffer.from(config.IDENTITY_HASH_KEY, "base64") : randomBytes(32),
});
// Rule 10's thresholds come from the directory the router routes by; a bad edit keeps the last good file in force.
const conduct = createConductWatch({ thresholds: () => directory.current().conductFromService });
// The discipline clocks' periods too (DESIGN §7): a new assignment's clocks follow the file in force.
const ledger = createLedger({
  db,
  deadlines,
  commissionUnit: config.COMMISSION_UNIT,
  sealer,
  conduct,
  discipline: () => directory.current(),
  // Every unit a transfer or a reassignment names must be in the file the router routes by.
  bodies: () => directory.current(),
});

// The edges' bucket: the reporters' objects under its root, the units' material under `units/`, kept apart.
const s3 = s3SettingsOf(config);
const reporterEvidence = createEvidenceStore(s3);
const unitEvidence = createEvidenceStore({ ...s3, prefix: `${s3.prefix ?? ""}units/` });
await reporterEvidence.ensureBucket();
shutdown.add("evidence", async () => {
  reporterEvidence.close();
  unitEvidence.close();
});

const names = prefixedTopicNames(config.TOPIC_PREFIX);
const kafka = createKafka({ brokers: parseBrokers(config.KAFKA_BROKERS), clientId: "closure", logger });
const partitions = config.KAFKA_PARTITIONS;
await ensureTopics({
  kafka,
  topics: [names.clueRouted, names.clueFeedback].map((name) => ({ name, partitions })),
  withDlq: true,
});
await ensureTopics({ kafka, topics: [names.clueLifecycle, names.audit].map((name) => ({ name, partitions })) });
const publisher = createPublisher({ kafka, logger });
await publisher.connect();
shutdown.add("publisher", () => publisher.close());

const relay = createOutboxRelay({
  db,
  publisher,
  logger,
  topics: { lifecycle: names.clueLifecycle, audit: names.audit },
  // One partition per unit stream, as the router makes them: the whole stream in order, not just each clue's.
  units: { prefix: config.TOPIC_PREFIX, prepare: createTopicPreparer({ kafka, partitions: 1 }) },
  source: "/clueline/closure",
  instanceId,
  intervalMs: config.RELAY_INTERVAL_MS,
});
relay.start();
shutdown.add("outbox relay", () => relay.stop());

const supervision = createSupervisionClocks({ deadlines, directory: directory.current });
const scan = createDeadlineScan({
  db,
  commissionUnit: config.COMMISSION_UNIT,
  supervision,
  conduct,
  clock: () => new Date(Date.now() + config.DEADLINE_SCAN_AHEAD_MS),
});
const pending = createPendingDeadlineResolver({ db, deadlines, calendar });
const scanLoop = createSingletonLoop({
  db,
  name: "deadline-scan",
  instanceId,
  logger,
  intervalMs: config.SCAN_INTERVAL_MS,
  turn: async () => {
    const { scheduled } = await pending.resolveOnce();
    if (scheduled > 0) logger.info({ scheduled }, "calendar-pending deadlines computed");
    const fired = await scan.scanOnce();
    if (scheduled + fired.reminders + fired.overdue + fired.escalated > 0) relay.wake();
    return (
      scheduled === pending.batchSize || fired.reminders + fired.overdue === scan.batchSize || fired.escalated === scan.batchSize
    );
  },
});
scanLoop.start();
shutdown.add("deadline scan", () => scanLoop.stop());

// One group member for both topics: two members with different subscriptions would rebalance each other. Whole
// fetched batches: a batch of routing decisions is one transaction (see createLedgerBatchHandler).
const runner = createConsumerRunner({
  kafka,
  publisher,
  logger,
  metrics,
  groupId: config.CONSUMER_GROUP,
  topics: [names.clueRouted, names.clueFeedback],
  batchHandler: createLedgerBatchHandler({ ledger, routedTopic: names.clueRouted, onApplied: relay.wake }),
  partitionsConsumedConcurrently: config.CONSUMER_PARTITIONS_CONCURRENTLY,
});

const app = createApp({
  db,
  ledger,
  sealer,
  logger,
  verifier: createTokenVerifier({ ...tokenVerificationOf(config), logger }),
  metrics,
  clock: () => new Date(),
  ssePollMs: config.SSE_POLL_MS,
  receiptLimiter: createRateLimiter({ limit: config.RECEIPT_LOOKUPS_PER_MINUTE, windowMs: 60_000 }),
  clientAddressOf: createClientAddress({ trustedProxies: config.TRUSTED_PROXIES, header: config.TRUSTED_PROXY_HEADER }),
  afterChange: relay.wake,
  calendarHealth,
  evidence: { reporter: reporterEvidence, units: unitEvidence, maxBytes: config.EVIDENCE_MAX_BYTES },
  commissionUnit: config.COMMISSION_UNIT,
});
// The inspector API serves the ledger, which is ready; it does not wait for the consumer's group join (after a
// restart that can take a session timeout, while the dead member's partitions are still held).
const server = await startHttpServer({ app, port: config.PORT, hostname: config.HOST });
shutdown.add("http", () => server.close());
shutdown.listen();
await runner.start();
shutdown.add("consumer", () => runner.stop());
logger.info({ port: server.port }, "closure listening");
