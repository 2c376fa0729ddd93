// The closure service's only file with side effects: read config, build, start, stop in reverse on SIGTERM.

import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { fileURLToPath } from "node:url";
import { createConsumerRunner, createKafka, createPublisher, ensureTopics, parseBrokers } from "@clueline/bus";
import { prefixedTopicNames } from "@clueline/contracts";
import { createIdentitySealer, parseKeys } from "@clueline/identity";
import { createLogger, createShutdown, describeConfig, startHttpServer } from "@clueline/kit";
import { createApp } from "./app.js";
import { createWorkingCalendar, loadChineseDaysSource, parseLocalCalendar } from "./calendar/index.js";
import { loadClosureConfig, policyOf } from "./config.js";
import { createFeedbackHandler, createRoutedHandler } from "./consume/ledger-handlers.js";
import { openDatabase } from "./db/open-database.js";
import { createSingletonLoop } from "./db/singleton-loop.js";
import { createDeadlineClock } from "./deadlines/deadline-clock.js";
import { createDeadlineScan } from "./deadlines/deadline-scan.js";
import { createRateLimiter } from "./feedback/rate-limiter.js";
import { createLedger } from "./ledger/ledger.js";
import { createOutboxRelay } from "./outbox/outbox-relay.js";

const config = loadClosureConfig(process.env);
const logger = createLogger({ name: "closure", level: config.LOG_LEVEL });
logger.info({ config: describeConfig(config) }, "starting");
const shutdown = createShutdown({ logger });
const instanceId = config.INSTANCE_ID ?? `${hostname()}-${process.pid}`;

const calendarFile = config.CALENDAR_FILE ?? fileURLToPath(new URL("../calendar/local.yaml", import.meta.url));
const calendar = createWorkingCalendar({
  base: loadChineseDaysSource(),
  overrides: parseLocalCalendar(await readFile(calendarFile, "utf8"), calendarFile),
});
const nextYear = new Date().getUTCFullYear() + 1;
if (!calendar.hasYear(nextYear)) {
  // Deadlines that reach into that year will be refused (retried) until an operator adds it.
  logger.warn(
    { year: nextYear, calendarFile },
    "the working-day calendar has no data for next year yet; add it to the operator file",
  );
}

const db = await openDatabase({
  url: config.DATABASE_URL,
  poolSize: config.DATABASE_POOL_SIZE,
  pgliteDataDir: config.PGLITE_DATA_DIR === "memory" ? undefined : config.PGLITE_DATA_DIR,
});
shutdown.add("database", () => db.close());
logger.info({ engine: db.engine }, "ledger ready");

const deadlines = createDeadlineClock({ calendar, policy: policyOf(config) });
const ledger = createLedger({ db, deadlines, commissionUnit: config.COMMISSION_UNIT });
const sealer = createIdentitySealer({
  keys: parseKeys(config.IDENTITY_KEYS),
  activeKeyId: config.IDENTITY_ACTIVE_KEY_ID,
  // Closure never computes merge hashes; a throwaway key satisfies the ring when none is configured.
  hashKey: config.IDENTITY_HASH_KEY ? Buffer.from(config.IDENTITY_HASH_KEY, "base64") : randomBytes(32),
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
  source: "/clueline/closure",
  instanceId,
  intervalMs: config.RELAY_INTERVAL_MS,
});
relay.start();
shutdown.add("outbox relay", () => relay.stop());

const scan = createDeadlineScan({ db, commissionUnit: config.COMMISSION_UNIT });
const scanLoop = createSingletonLoop({
  db,
  name: "deadline-scan",
  instanceId,
  logger,
  intervalMs: config.SCAN_INTERVAL_MS,
  turn: async () => {
    const fired = await scan.scanOnce();
    if (fired.reminders + fired.overdue > 0) relay.wake();
    return fired.reminders + fired.overdue === scan.batchSize;
  },
});
scanLoop.start();
shutdown.add("deadline scan", () => scanLoop.stop());

// One group member for both topics: two members with different subscriptions would rebalance each other.
const handleRouted = createRoutedHandler({ ledger, onApplied: relay.wake });
const handleFeedback = createFeedbackHandler({ ledger, onApplied: relay.wake });
const runner = createConsumerRunner({
  kafka,
  publisher,
  logger,
  groupId: config.CONSUMER_GROUP,
  topics: [names.clueRouted, names.clueFeedback],
  handler: (record, context) => (record.topic === names.clueRouted ? handleRouted : handleFeedback)(record, context),
});
await runner.start();
shutdown.add("consumer", () => runner.stop());

const app = createApp({
  db,
  ledger,
  sealer,
  logger,
  authSecret: config.AUTH_JWT_SECRET,
  clock: () => new Date(),
  ssePollMs: config.SSE_POLL_MS,
  receiptLimiter: createRateLimiter({ limit: config.RECEIPT_LOOKUPS_PER_MINUTE, windowMs: 60_000 }),
  afterChange: relay.wake,
});
const server = await startHttpServer({ app, port: config.PORT, hostname: config.HOST });
shutdown.add("http", () => server.close());
shutdown.listen();
logger.info({ port: server.port }, "closure listening");
