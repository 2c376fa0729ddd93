import { ensureTopics } from "@clueline/bus";
import { prefixedTopicNames } from "@clueline/contracts";
import { createEdgeClients } from "@clueline/edge";
import { createLogger, createShutdown, describeConfig, loadConfig, startHttpServer } from "@clueline/kit";
import { createApp } from "./app.js";
import { MediaConfig } from "./config.js";

const config = loadConfig(MediaConfig, process.env);
const logger = createLogger({ name: "media", level: config.LOG_LEVEL });
logger.info({ config: describeConfig(config) }, "starting");
const shutdown = createShutdown({ logger });
shutdown.listen();

const topics = prefixedTopicNames(config.TOPIC_PREFIX);
const clients = createEdgeClients({ config, service: "media", logger });
await ensureTopics({
  kafka: clients.kafka,
  topics: [{ name: topics.mediaReceived, partitions: config.KAFKA_PARTITIONS }],
  withDlq: true,
});
await clients.publisher.connect();
shutdown.add("producer", () => clients.publisher.close());
await clients.admin.connect();
shutdown.add("kafka-admin", () => clients.admin.disconnect());
await clients.evidence.ensureBucket();
shutdown.add("evidence", async () => clients.evidence.close());

const app = createApp({
  ...clients.deps,
  topics,
  webhook: { secrets: config.MEDIA_WEBHOOK_SECRETS, windowSeconds: config.WEBHOOK_WINDOW_SECONDS },
  attachmentMaxBytes: config.ATTACHMENT_MAX_BYTES,
});
const server = await startHttpServer({ app, port: config.PORT, hostname: config.HOST });
shutdown.add("http", () => server.close());
logger.info({ port: server.port }, "media listening");
