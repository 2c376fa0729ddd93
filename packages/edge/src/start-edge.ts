import { ensureTopics } from "@clueline/bus";
import { prefixedTopicNames } from "@clueline/contracts";
import { createDirectoryHolder, DirectoryInvalid, defaultDirectoryPath } from "@clueline/directory";
import { createLogger, createShutdown, describeConfig, startHttpServer } from "@clueline/kit";
import type { Hono } from "hono";
import { categoryCodesOf } from "./category-hints.js";
import { createEdgeClients } from "./edge-clients.js";
import type { EdgeDeps } from "./edge-deps.js";
import { untilConnected } from "./until-connected.js";

type EdgeConfig = Parameters<typeof createEdgeClients>[0]["config"] & {
  LOG_LEVEL: string;
  TOPIC_PREFIX: string;
  KAFKA_PARTITIONS: number;
  PORT: number;
  HOST: string;
  DIRECTORY_FILE?: string | undefined;
  DIRECTORY_POLL_MS: number;
};
type TopicNames = ReturnType<typeof prefixedTopicNames>;

/**
 * What every edge's `main.ts` does, in order: log the (masked) configuration, load the directory (the router's
 * file: `categoryHints` are checked against its taxonomy) and watch it for changes, create and connect the clients,
 * make sure its channel topic and the evidence bucket exist, build the app, listen, and on SIGTERM stop
 * everything in reverse order.
 *
 * @example
 * await startEdge({ service: "hotline", config, topicOf: (t) => t.hotlineReceived,
 *   createApp: (deps, topics) => createApp({ ...deps, topics, recordingMaxBytes: config.RECORDING_MAX_BYTES }) });
 */
export async function startEdge<C extends EdgeConfig>(options: {
  service: "hotline" | "intake" | "media";
  config: C;
  topicOf: (topics: TopicNames) => string;
  createApp: (deps: EdgeDeps, topics: TopicNames) => { fetch: Hono["fetch"] };
}): Promise<void> {
  const { config, service } = options;
  const logger = createLogger({ name: service, level: config.LOG_LEVEL });
  logger.info({ config: describeConfig(config as unknown as Record<string, unknown>) }, "starting");
  const shutdown = createShutdown({ logger });
  shutdown.listen();

  const directoryPath = config.DIRECTORY_FILE ?? defaultDirectoryPath;
  const directory = await createDirectoryHolder({ path: directoryPath, logger, compile: categoryCodesOf }).catch((error) => {
    // Nothing good to fall back on yet: refuse to start, naming each problem (the thrown error lists them too).
    if (error instanceof DirectoryInvalid)
      logger.fatal({ path: directoryPath, problems: error.problems }, "directory file invalid");
    throw error;
  });
  shutdown.add("directory watch", async () => stopWatching());
  const stopWatching = directory.watch({ intervalMs: config.DIRECTORY_POLL_MS });
  logger.info({ path: directoryPath, categories: directory.current().size }, "directory loaded");

  const topics = prefixedTopicNames(config.TOPIC_PREFIX);
  const clients = createEdgeClients({ config, service, logger, categoryCodes: directory.current });
  await ensureTopics({
    kafka: clients.kafka,
    topics: [{ name: options.topicOf(topics), partitions: config.KAFKA_PARTITIONS }],
    withDlq: true,
  });
  shutdown.add("producer", () => clients.publisher.close());
  await untilConnected(() => clients.publisher.connect(), logger);
  await clients.admin.connect();
  shutdown.add("kafka-admin", () => clients.admin.disconnect());
  await clients.evidence.ensureBucket();
  shutdown.add("evidence", async () => clients.evidence.close());

  const app = options.createApp(clients.deps, topics);
  const server = await startHttpServer({ app, port: config.PORT, hostname: config.HOST });
  shutdown.add("http", () => server.close());
  logger.info({ port: server.port }, `${service} listening`);
}
