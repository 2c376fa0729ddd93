import { createPublisher, type Publisher } from "@clueline/bus";
import { mediaReceivedTopic } from "@clueline/contracts";
import type { EdgeApp } from "@clueline/edge";
import { createTestEdgeDeps } from "@clueline/edge/testing";
import { createS3ClaimStore } from "@clueline/evidence";
import {
  createCapturingLogger,
  createTestEvidenceStore,
  createTestKafka,
  createTestTopics,
  readTopic,
  testInfra,
  uniqueName,
} from "@clueline/testing";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "./app.js";
import { OTHER_SENDER_SECRET, sampleExposure, signedHeaders, WEBHOOK_SECRET, WEBHOOK_SENDERS } from "./test-support.js";

const kafka = createTestKafka();
let publisher: Publisher;
beforeAll(async () => {
  publisher = createPublisher({ kafka, logger: pino({ level: "silent" }) });
  await publisher.connect();
});
afterAll(() => publisher.close());

describe("media against the real broker", () => {
  it("publishes a signed webhook delivery that a consumer reads back as a CloudEvent", async () => {
    const [topic] = (await createTestTopics(kafka, ["media"])) as [string];
    const { logger, lines } = createCapturingLogger("media");
    const app = await buildMedia({ topic, logger, replayPrefix: `${uniqueName("replay")}/` });
    const body = JSON.stringify(sampleExposure());
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await app.request("/v1/webhooks/exposures", {
      method: "POST",
      body,
      headers: signedHeaders({ sender: "monitor-a", secret: WEBHOOK_SECRET, timestamp, body }),
    });
    expect(response.status).toBe(202);
    const { complaintId } = (await response.json()) as { complaintId: string };
    const [record] = await readTopic({ kafka, topic, count: 1 });
    expect(record?.key).toBe(complaintId);
    expect(record?.headers).toMatchObject({
      ce_specversion: "1.0",
      ce_id: complaintId,
      ce_source: "/clueline/media",
      ce_type: "clueline.media.received",
    });
    const event = mediaReceivedTopic.parse(record ?? { key: null, value: null, headers: {} });
    expect(event.data).toMatchObject({
      channel: "media",
      outlet: "区融媒体中心",
      reach: 125_000,
      reporter: { kind: "anonymous" },
    });
    const accepted = lines.map((line) => JSON.parse(line)).find((line) => line.msg === "complaint accepted");
    expect(accepted).toMatchObject({ complaintId, subject: "webhook:monitor-a" });
  });

  it("refuses a replay after a restart with 409: the signatures seen are kept in S3, per sender", async () => {
    const [topic] = (await createTestTopics(kafka, ["media"])) as [string];
    const replayPrefix = `${uniqueName("replay")}/`;
    const body = JSON.stringify(sampleExposure());
    const timestamp = Math.floor(Date.now() / 1000);
    const fromA = signedHeaders({ sender: "monitor-a", secret: WEBHOOK_SECRET, timestamp, body });
    const send = async (app: EdgeApp, headers: Record<string, string>) =>
      app.request("/v1/webhooks/exposures", { method: "POST", body, headers });

    const before = await buildMedia({ topic, replayPrefix });
    expect((await send(before, fromA)).status).toBe(202);
    const restarted = await buildMedia({ topic, replayPrefix }); // a new process: new verifier, new S3 client
    const replayed = await send(restarted, fromA);
    expect(replayed.status).toBe(409);
    expect(((await replayed.json()) as { type: string }).type).toContain("signature-replayed");
    const fromB = signedHeaders({ sender: "monitor-b", secret: OTHER_SENDER_SECRET, timestamp, body });
    expect((await send(restarted, fromB)).status).toBe(202);
    const records = await readTopic({ kafka, topic, count: 2 });
    expect(records).toHaveLength(2);
    expect(new Set(records.map((record) => record.key)).size).toBe(2);
  });
});

/** The media app over the real broker and a replay memory in the real S3 under `replayPrefix`. */
async function buildMedia(options: { topic: string; replayPrefix: string; logger?: pino.Logger }) {
  await createTestEvidenceStore(); // makes sure the test bucket exists
  const replay = createS3ClaimStore({ settings: { ...testInfra().s3, prefix: options.replayPrefix }, prefix: "webhook-replay/" });
  return createApp({
    ...createTestEdgeDeps({ publisher, ...(options.logger ? { logger: options.logger } : {}) }),
    topics: { mediaReceived: options.topic },
    webhook: { senders: WEBHOOK_SENDERS, windowSeconds: 300, replay },
    attachmentMaxBytes: 1 << 20,
  });
}
