import { Writable } from "node:stream";
import { createKafka, ensureTopics } from "@clueline/bus";
import { createEvidenceStore } from "@clueline/evidence";
import type { Kafka } from "kafkajs";
import pino, { type Logger } from "pino";
import { ulid } from "ulid";
import { inject } from "vitest";
import type { InfraInfo } from "./infra-info.js";

/** The infrastructure the global setup started or found. */
export function testInfra(): InfraInfo {
  return inject("infra");
}

/** A name no other test (or earlier run) uses: topics, groups, bucket prefixes, schemas. */
export function uniqueName(label: string): string {
  return `t-${label}-${ulid().toLowerCase()}`;
}

/** A logger that keeps every line in memory, so a test can search what was logged (for identity leaks). */
export function createCapturingLogger(name = "test"): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ name, level: "debug" }, destination), lines };
}

export function createTestKafka(logger: Logger = pino({ level: "silent" })): Kafka {
  return createKafka({ brokers: testInfra().kafkaBrokers, clientId: uniqueName("client"), logger });
}

/** Topics with unique names, created before the test uses them. */
export async function createTestTopics(kafka: Kafka, labels: string[], partitions = 3): Promise<string[]> {
  const names = labels.map((label) => uniqueName(label));
  await ensureTopics({ kafka, topics: names.map((name) => ({ name, partitions })), withDlq: true });
  return names;
}

/** An evidence store on the test bucket under a unique prefix. */
export async function createTestEvidenceStore() {
  const { s3 } = testInfra();
  const store = createEvidenceStore({ ...s3, prefix: `${uniqueName("evidence")}/` });
  await store.ensureBucket();
  return store;
}
