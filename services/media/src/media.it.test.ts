import { createPublisher, type Publisher } from "@clueline/bus";
import { mediaReceivedTopic } from "@clueline/contracts";
import { createTestEdgeDeps } from "@clueline/edge/testing";
import { createTestKafka, createTestTopics, readTopic } from "@clueline/testing";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "./app.js";
import { sampleExposure, WEBHOOK_SECRET } from "./test-support.js";
import { signWebhook } from "./webhook-signature.js";

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
    const app = createApp({
      ...createTestEdgeDeps({ publisher }),
      topics: { mediaReceived: topic },
      webhook: { secrets: [WEBHOOK_SECRET], windowSeconds: 300 },
      attachmentMaxBytes: 1 << 20,
    });
    const body = JSON.stringify(sampleExposure());
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await app.request("/v1/webhooks/exposures", {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "x-clueline-timestamp": String(timestamp),
        "x-clueline-signature": signWebhook({ secret: WEBHOOK_SECRET, timestamp, body }),
      },
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
  });
});
