import { ensureTopics } from "@clueline/bus";
import { prefixedTopicNames } from "@clueline/contracts";
import { createLogger, createShutdown, describeConfig, startHttpServer } from "@clueline/kit";
import type { Hono } from "hono";
import { createEdgeClients } from "./edge-clients.js";
import type { EdgeDeps } from "./edge-deps.js";

type EdgeConfig = Parameters<typeof createEdgeClients>[0]["config"] & {
  LOG_LEVEL: string;
  TOPIC_PREFIX: string;
  KAFKA_PARTITIONS: number;
  PORT: number;
  HOST: string;
};
type TopicNames = ReturnType<typeof prefixedTopicNames>;

/**
 * What every edge's `main.ts` does, in order: log the (masked) configuration, create and connect the clients,
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

  const topics = prefixedTopicNames(config.TOPIC_PREFIX);
  const clients = createEdgeClients({ config, service, logger });
  await ensureTopics({
    kafka: clients.kafka,
    topics: [{ name: options.topicOf(topics), partitions: config.KAFKA_PARTITIONS }],
    withDlq: true,
  });
  await clients.publisher.connect();
  shutdown.add("producer", () => clients.publisher.close());
  await clients.admin.connect();
  shutdown.add("kafka-admin", () => clients.admin.disconnect());
  await clients.evidence.ensureBucket();
  shutdown.add("evidence", async () => clients.evidence.close());

  const app = options.createApp(clients.deps, topics);
  const server = await startHttpServer({ app, port: config.PORT, hostname: config.HOST });
  shutdown.add("http", () => server.close());
  logger.info({ port: server.port }, `${service} listening`);
}
