import { Kafka, type KafkaConfig, logLevel } from "kafkajs";
import type { Logger } from "pino";
import { patchKafkajsIdleLoop } from "./kafkajs-idle-fix.js";
import { patchKafkajsProduceEncoder } from "./kafkajs-produce-encoder.js";
import { PATCHED_KAFKAJS_VERSION } from "./kafkajs-version.js";

const levels: Record<number, "error" | "warn" | "info" | "debug"> = {
  [logLevel.ERROR]: "error",
  [logLevel.WARN]: "warn",
  [logLevel.INFO]: "info",
  [logLevel.DEBUG]: "debug",
};

/**
 * A kafkajs client that logs through the service's pino logger. Timeouts are short on purpose: an HTTP
 * edge must answer 503 within seconds when the broker is gone, not hang on kafkajs's defaults.
 *
 * @example
 * const kafka = createKafka({ brokers: ["127.0.0.1:19092"], clientId: "hotline", logger });
 */
export function createKafka(options: {
  brokers: string[];
  clientId: string;
  logger: Logger;
  overrides?: Partial<KafkaConfig>;
}): Kafka {
  const log = options.logger.child({ component: "kafkajs" });
  const fix = patchKafkajsIdleLoop();
  if (!fix.patched)
    log.warn({ version: fix.version }, `kafkajs is not ${PATCHED_KAFKAJS_VERSION}: its idle-loop fix is not applied`);
  if (!patchKafkajsProduceEncoder().patched) {
    log.warn({ version: fix.version }, `kafkajs is not ${PATCHED_KAFKAJS_VERSION}: produce requests use its own encoder`);
  }
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    retry: { initialRetryTime: 100, maxRetryTime: 2_000, retries: 5 },
    logLevel: logLevel.WARN,
    logCreator: () => (entry) => {
      const { message, ...rest } = entry.log;
      log[levels[entry.level] ?? "info"]({ namespace: entry.namespace, ...rest }, message);
    },
    ...options.overrides,
  });
}

/** Parses `KAFKA_BROKERS` ("host:port,host:port"). */
export function parseBrokers(value: string): string[] {
  return value
    .split(",")
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);
}
