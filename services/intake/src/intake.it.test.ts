import { createPublisher, type Publisher } from "@clueline/bus";
import { intakeReceivedTopic } from "@clueline/contracts";
import { bearerFor, createTestEdgeDeps } from "@clueline/edge/testing";
import { sha256Hex } from "@clueline/evidence";
import { hashReceiptCode } from "@clueline/identity";
import { createCapturingLogger, createTestEvidenceStore, createTestKafka, createTestTopics, readTopic } from "@clueline/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "./app.js";
import { sampleReport } from "./test-support.js";

const writer = await bearerFor(["complaint:write"], "intake-web");
const kafka = createTestKafka();
const { logger, lines } = createCapturingLogger("intake");
let publisher: Publisher;
beforeAll(async () => {
  publisher = createPublisher({ kafka, logger });
  await publisher.connect();
});
afterAll(() => publisher.close());

describe("intake against the real broker and store", () => {
  it("stores an attachment, then publishes the report citing it, with the receipt hash, read back from Kafka", async () => {
    const [topic] = (await createTestTopics(kafka, ["intake"])) as [string];
    const evidence = await createTestEvidenceStore();
    const app = createApp({
      ...createTestEdgeDeps({ publisher, evidence, logger }),
      topics: { intakeReceived: topic },
      attachmentMaxBytes: 1 << 20,
    });
    const scan = new TextEncoder().encode("%PDF-1.7 scanned letter about 城关镇");
    const upload = await app.request("/v1/attachments", {
      method: "POST",
      body: scan,
      headers: { authorization: writer, "content-type": "application/pdf", "x-clueline-sha256": sha256Hex(scan) },
    });
    expect(upload.status).toBe(201);
    const { evidenceId, sha256 } = (await upload.json()) as { evidenceId: string; sha256: string };
    expect((await evidence.get(evidenceId)).sha256).toBe(sha256Hex(scan));

    const report = sampleReport({ form: "letter", reporter: { kind: "anonymous" }, evidence: [{ evidenceId, sha256 }] });
    const response = await app.request("/v1/reports", {
      method: "POST",
      body: JSON.stringify(report),
      headers: { authorization: writer, "content-type": "application/json" },
    });
    expect(response.status).toBe(202);
    const { complaintId, receiptCode } = (await response.json()) as { complaintId: string; receiptCode: string };
    const [record] = await readTopic({ kafka, topic, count: 1 });
    expect(record?.headers).toMatchObject({
      ce_id: complaintId,
      ce_source: "/clueline/intake",
      ce_type: "clueline.intake.received",
    });
    const event = intakeReceivedTopic.parse(record ?? { key: null, value: null, headers: {} });
    expect(event.data.reporter).toEqual({ kind: "anonymous", receiptHash: hashReceiptCode(receiptCode) });
    expect(event.data.evidence).toEqual([{ evidenceId, sha256 }]);
    expect(record?.value?.toString()).not.toContain(receiptCode);
    expect(lines.join("\n")).not.toContain(receiptCode);
  });
});
