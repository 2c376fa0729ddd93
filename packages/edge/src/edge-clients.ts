import { createKafka, createPublisherThread, parseBrokers } from "@clueline/bus";
import { createEvidenceStore } from "@clueline/evidence";
import { createIdentitySealer } from "@clueline/identity";
import { createTokenVerifier, tokenVerificationOf } from "@clueline/kit";
import type { Logger } from "pino";
import type { CategoryCodes } from "./category-hints.js";
import type { EdgeDeps } from "./edge-deps.js";
import { keyRingOf, s3SettingsOf } from "./edge-env.js";
import { createIdempotencyStore } from "./idempotency-store.js";
import { createReceiptCodes } from "./receipt-code.js";

type EdgeConfig = Parameters<typeof keyRingOf>[0] &
  Parameters<typeof s3SettingsOf>[0] & {
    KAFKA_BROKERS: string;
    PUBLISH_TIMEOUT_MS: number;
    IDEMPOTENCY_TTL_SECONDS: number;
    IDEMPOTENCY_MAX_ENTRIES: number;
  } & Parameters<typeof tokenVerificationOf>[0];

/**
 * Builds, without connecting anything, the clients an edge's `main.ts` connects, checks and stops: the Kafka
 * client and publisher, an admin client for readiness, the evidence store, and the edge dependencies.
 *
 * @example
 * const clients = createEdgeClients({ config, service: "hotline", logger, categoryCodes: directory.current });
 * await clients.publisher.connect();
 */
export function createEdgeClients(options: {
  config: EdgeConfig;
  service: string;
  logger: Logger;
  /** The taxonomy of the directory in force, from the holder that watches the file. */
  categoryCodes: () => CategoryCodes;
}) {
  const { config, logger } = options;
  const brokers = parseBrokers(config.KAFKA_BROKERS);
  const kafka = createKafka({ brokers, clientId: options.service, logger });
  // The producer runs on its own thread, beside the event loop that parses, validates and seals requests.
  const publisher = createPublisherThread({ brokers, clientId: options.service, logger, timeoutMs: config.PUBLISH_TIMEOUT_MS });
  const admin = kafka.admin();
  const evidence = createEvidenceStore(s3SettingsOf(config));
  const ring = keyRingOf(config);
  const deps: EdgeDeps = {
    publisher,
    evidence,
    sealer: createIdentitySealer(ring),
    receiptCodes: createReceiptCodes({ secret: ring.hashKey }),
    idempotency: createIdempotencyStore({
      ttlMs: config.IDEMPOTENCY_TTL_SECONDS * 1000,
      maxEntries: config.IDEMPOTENCY_MAX_ENTRIES,
    }),
    logger,
    clock: () => new Date(),
    categoryCodes: options.categoryCodes,
    verifier: createTokenVerifier({ ...tokenVerificationOf(config), logger }),
    readiness: {
      kafka: async () => void (await admin.describeCluster()),
      s3: () => evidence.ping(),
    },
  };
  return { kafka, publisher, admin, evidence, deps };
}
