import { createConsumerRunner, createKafka, createPublisher, ensureTopics, parseBrokers } from "@clueline/bus";
import { topicNames, unitTopicName } from "@clueline/contracts";
import {
  createLogger,
  createMetricsRegistry,
  createShutdown,
  createTokenVerifier,
  describeConfig,
  loadConfig,
  startHttpServer,
  startMaintenance,
  tokenVerificationOf,
} from "@clueline/kit";
import { createApp } from "./app.js";
import { RouterConfig } from "./config.js";
import { compileDirectory, createDirectoryHolder, defaultDirectoryPath } from "./directory/index.js";
import { channelTopicNames, createChannelBatchHandler } from "./pipeline/channel-handler.js";
import { streamOwners } from "./pipeline/fan-out.js";
import { createLifecycleBatchHandler } from "./pipeline/lifecycle-handler.js";
import { conductClue } from "./routing/conduct-clue.js";
import { createRerouter } from "./routing/create-rerouter.js";
import { createBatchRouter } from "./routing/index.js";
import { createPostgresRouterState, openRouterDatabase } from "./state/index.js";

const config = loadConfig(RouterConfig, process.env);
const logger = createLogger({ name: "router", level: config.LOG_LEVEL });
logger.info({ config: describeConfig(config) }, "starting");
const shutdown = createShutdown({ logger });
// Served on /metrics by the app; the consumer counts its dead letters there too.
const metrics = createMetricsRegistry({ service: "router" });
shutdown.listen();

const directoryPath = config.DIRECTORY_FILE ?? defaultDirectoryPath;
const directory = await createDirectoryHolder({ path: directoryPath, logger, compile: compileDirectory });
shutdown.add("directory watch", async () => stopWatching());
const stopWatching = directory.watch({ intervalMs: config.DIRECTORY_POLL_MS });

const db = await openRouterDatabase({ url: config.DATABASE_URL, dataDir: config.ROUTER_DATA_DIR, schema: config.ROUTER_SCHEMA });
shutdown.add("database", () => db.close());
if (!config.DATABASE_URL && config.PGLITE_VACUUM_MS > 0) {
  const work = () => db.query("vacuum (analyze)");
  shutdown.add("pglite vacuum", startMaintenance({ name: "pglite-vacuum", intervalMs: config.PGLITE_VACUUM_MS, logger, work }));
}
const state = createPostgresRouterState({ db, schema: config.ROUTER_SCHEMA });

const kafka = createKafka({ brokers: parseBrokers(config.KAFKA_BROKERS), clientId: "clueline-router", logger });
const prefix = config.TOPIC_PREFIX;
const partitions = config.KAFKA_PARTITIONS;
const unitTopics = streamOwners(directory.current()).map((owner) => prefix + unitTopicName(owner));
await ensureTopics({
  kafka,
  withDlq: true,
  topics: [...channelTopicNames(prefix), prefix + topicNames.clueRouted, prefix + topicNames.clueLifecycle].map((name) => ({
    name,
    partitions,
  })),
});
await ensureTopics({ kafka, topics: unitTopics.map((name) => ({ name, partitions: 1 })) });
const knownTopics = new Set(unitTopics);

const publisher = createPublisher({ kafka, logger });
await publisher.connect();
shutdown.add("publisher", () => publisher.close());

async function prepareTopics(names: string[]) {
  const missing = names.filter((name) => !knownTopics.has(name) && name.includes(".unit."));
  if (missing.length === 0) return;
  await ensureTopics({ kafka, topics: missing.map((name) => ({ name, partitions: 1 })) });
  for (const name of missing) knownTopics.add(name);
}

const runner = createConsumerRunner({
  kafka,
  publisher,
  logger,
  metrics,
  groupId: config.ROUTER_GROUP_ID,
  topics: channelTopicNames(prefix),
  partitionsConsumedConcurrently: config.ROUTER_CONCURRENCY,
  // A fetch's hotline, intake and media batches become one transaction: each costs a lock on every subject it
  // names, and batches of different channels nearly always share a town, so they ran one after the other anyway.
  coalesceAcrossTopics: true,
  batchHandler: createChannelBatchHandler({
    routeBatch: createBatchRouter({ state, directory: directory.current }),
    publisher,
    topicPrefix: prefix,
    prepareTopics,
  }),
});

// The closure's lifecycle topic: the commission's classifications (分办), routed again like any complaint, and the
// conduct patterns of rule 10, which open or supplement a discipline clue about a department.
const lifecycleRunner = createConsumerRunner({
  kafka,
  publisher,
  logger,
  metrics,
  groupId: config.ROUTER_CLASSIFICATION_GROUP_ID,
  topics: [prefix + topicNames.clueLifecycle],
  batchHandler: createLifecycleBatchHandler({
    reroute: createRerouter({ state, directory: directory.current }),
    conductClue: (input) => conductClue({ ...input, directory: directory.current() }),
    publisher,
    topicPrefix: prefix,
    prepareTopics,
  }),
});

const app = createApp({
  logger,
  verifier: createTokenVerifier({ ...tokenVerificationOf(config), logger }),
  metrics,
  directory,
  findDecision: (complaintId) => state.getDecision(complaintId),
  readiness: {
    database: async () => void (await db.query("select 1")),
    kafka: () => publisher.connect(),
  },
});
const server = await startHttpServer({ app, port: config.PORT });
shutdown.add("http", () => server.close());
await runner.start();
shutdown.add("consumer", () => runner.stop());
await lifecycleRunner.start();
shutdown.add("lifecycle consumer", () => lifecycleRunner.stop());
logger.info({ port: server.port, directory: directoryPath }, "router ready");
