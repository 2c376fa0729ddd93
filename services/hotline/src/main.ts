import { ensureTopics } from "@clueline/bus";
import { prefixedTopicNames } from "@clueline/contracts";
import { createEdgeClients } from "@clueline/edge";
import { createLogger, createShutdown, describeConfig, loadConfig, startHttpServer } from "@clueline/kit";
import { createApp } from "./app.js";
import { HotlineConfig } from "./config.js";

const config = loadConfig(HotlineConfig, process.env);
const logger = createLogger({ name: "hotline", level: config.LOG_LEVEL });
logger.info({ config: describeConfig(config) }, "starting");
const shutdown = createShutdown({ logger });
shutdown.listen();

const topics = prefixedTopicNames(config.TOPIC_PREFIX);
const clients = createEdgeClients({ config, service: "hotline", logger });
await ensureTopics({
  kafka: clients.kafka,
  topics: [{ name: topics.hotlineReceived, partitions: config.KAFKA_PARTITIONS }],
  withDlq: true,
});
await clients.publisher.connect();
shutdown.add("producer", () => clients.publisher.close());
await clients.admin.connect();
shutdown.add("kafka-admin", () => clients.admin.disconnect());
await clients.evidence.ensureBucket();
shutdown.add("evidence", async () => clients.evidence.close());

const app = createApp({ ...clients.deps, topics, recordingMaxBytes: config.RECORDING_MAX_BYTES });
const server = await startHttpServer({ app, port: config.PORT, hostname: config.HOST });
shutdown.add("http", () => server.close());
logger.info({ port: server.port }, "hotline listening");
