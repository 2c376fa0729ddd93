import net from "node:net";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { createKafka, createPublisher, type Publisher } from "@clueline/bus";
import { hotlineReceivedTopic } from "@clueline/contracts";
import { bearerFor, createTestEdgeDeps, mediaSamples } from "@clueline/edge/testing";
import { sha256Hex } from "@clueline/evidence";
import {
  createCapturingLogger,
  createTestEvidenceStore,
  createTestKafka,
  createTestTopics,
  readTopic,
  testInfra,
  uniqueName,
} from "@clueline/testing";
import type { ISocketFactory } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "./app.js";
import { sampleCall } from "./test-support.js";

const writer = await bearerFor(["complaint:write"]);
const kafka = createTestKafka();
const { logger, lines } = createCapturingLogger("hotline");
let publisher: Publisher;
beforeAll(async () => {
  publisher = createPublisher({ kafka, logger, timeoutMs: 5_000 });
  await publisher.connect();
});
afterAll(() => publisher.close());

async function buildHotline(options: { publisher?: Publisher } = {}) {
  const [topic] = (await createTestTopics(kafka, ["hotline"])) as [string];
  const evidence = await createTestEvidenceStore();
  const deps = createTestEdgeDeps({ publisher: options.publisher ?? publisher, evidence, logger });
  const app = createApp({ ...deps, topics: { hotlineReceived: topic }, recordingMaxBytes: 1024 * 1024 });
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    app.request("/v1/calls", {
      method: "POST",
      body: JSON.stringify(body),
      headers: { authorization: writer, "content-type": "application/json", ...headers },
    });
  return { app, deps, evidence, topic, post };
}

describe("hotline against the real broker and store", () => {
  it("publishes CloudEvents a consumer reads back, the reporter encrypted, and logs no identity", async () => {
    const { post, topic, deps } = await buildHotline();
    const realName = await post(sampleCall());
    const anonymous = await post(sampleCall({ reporter: { kind: "anonymous" } }));
    expect([realName.status, anonymous.status]).toEqual([202, 202]);
    const ids = await Promise.all(
      [realName, anonymous].map(async (r) => ((await r.json()) as { complaintId: string }).complaintId),
    );
    const records = await readTopic({ kafka, topic, count: 2 });
    expect(records.map((r) => r.key).sort()).toEqual([...ids].sort());
    const record = records.find((r) => r.key === ids[0]);
    expect(record?.headers).toMatchObject({
      ce_specversion: "1.0",
      ce_id: ids[0],
      ce_source: "/clueline/hotline",
      ce_type: "clueline.hotline.received",
      ce_subject: ids[0],
      "content-type": "application/json",
    });
    expect(Date.parse(record?.headers.ce_time ?? "")).not.toBeNaN();
    expect(record?.value?.toString()).not.toMatch(/张三|13800138000|11010519491231002X/);
    const event = hotlineReceivedTopic.parse(record ?? { key: null, value: null, headers: {} });
    if (event.data.reporter.kind !== "real-name") throw new Error("expected a real-name reporter");
    expect(event.data.reporter.identity.alg).toBe("A256GCM");
    expect(deps.sealer.open(event.data.reporter.identity, { complaintId: event.data.complaintId })).toMatchObject({
      name: "张三",
      phone: "13800138000",
    });
    expect(lines.join("\n")).not.toMatch(/张三|13800138000|11010519491231002X/);
  });

  it("stores a recording in S3 with its SHA-256 and detected type, and cites it in a call record", async () => {
    const { app, evidence, post, topic } = await buildHotline();
    const samples = new Uint8Array(64 * 1024).map((_, n) => (n * 31) % 251);
    const audio = new Uint8Array([...mediaSamples.wav, ...samples]);
    const send = (body: Uint8Array, type: string) =>
      app.request("/v1/recordings", {
        method: "POST",
        body,
        headers: { authorization: writer, "content-type": type, "x-clueline-sha256": sha256Hex(body) },
      });
    // A Windows executable declared as audio: refused before anything reaches S3.
    const forged = await send(new Uint8Array([...mediaSamples.exe, ...samples]), "audio/mpeg");
    expect(forged.status).toBe(415);
    const upload = await send(audio, "audio/x-wav");
    expect(upload.status).toBe(201);
    const ref = (await upload.json()) as { evidenceId: string; sha256: string; contentType: string };
    expect(ref.contentType).toBe("audio/wav");
    const stored = await evidence.get(ref.evidenceId);
    expect(stored.sha256).toBe(sha256Hex(audio));
    expect(stored.contentType).toBe("audio/wav");
    expect(Buffer.from(stored.body).equals(Buffer.from(audio))).toBe(true);
    const prefix = stored.key.slice(0, stored.key.lastIndexOf("/") + 1);
    const listed = await evidence.client.send(new ListObjectsV2Command({ Bucket: testInfra().s3.bucket, Prefix: prefix }));
    expect(listed.Contents?.map((object) => object.Key)).toEqual([stored.key]);
    expect((await post(sampleCall({ evidence: [ref] }))).status).toBe(202);
    const [record] = await readTopic({ kafka, topic, count: 1 });
    const cited = hotlineReceivedTopic.parse(record ?? { key: null, value: null, headers: {} }).data.evidence;
    expect(cited).toEqual([{ evidenceId: ref.evidenceId, sha256: ref.sha256 }]);
  });

  it("answers 503 while the broker is unreachable and accepts again once it is back", async () => {
    const network = createSwitchableNetwork();
    const flaky = createKafka({
      brokers: testInfra().kafkaBrokers,
      clientId: uniqueName("flaky"),
      logger,
      overrides: { socketFactory: network.socketFactory },
    });
    const flakyPublisher = createPublisher({ kafka: flaky, logger, timeoutMs: 1_500 });
    await flakyPublisher.connect();
    const { post, topic } = await buildHotline({ publisher: flakyPublisher });
    try {
      const headers = { "idempotency-key": uniqueName("call") };
      expect((await post(sampleCall(), headers)).status).toBe(202);
      network.down();
      const refused = await post(sampleCall({ reporter: { kind: "anonymous" } }), headers);
      expect(refused.status).toBe(409); // same key, other body: refused before any broker is involved
      const outage = await post(sampleCall({ callId: "C-outage" }), { "idempotency-key": "outage-1" });
      expect(outage.status).toBe(503);
      expect(outage.headers.get("retry-after")).toBeTruthy();
      expect(await outage.text()).not.toContain("complaintId");
      network.up();
      let retry = await post(sampleCall({ callId: "C-outage" }), { "idempotency-key": "outage-1" });
      for (let attempt = 0; retry.status === 503 && attempt < 10; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        retry = await post(sampleCall({ callId: "C-outage" }), { "idempotency-key": "outage-1" });
      }
      expect(retry.status).toBe(202);
      const { complaintId } = (await retry.json()) as { complaintId: string };
      const records = await readTopic({ kafka, topic, count: 2 });
      expect(records.some((r) => r.key === complaintId)).toBe(true);
    } finally {
      network.up();
      await flakyPublisher.close();
    }
  });
});

/**
 * Routes kafkajs connections to the broker, or, while "down", to a closed port; going down resets open
 * connections the way a dying broker does (ECONNRESET), so kafkajs notices.
 */
function createSwitchableNetwork() {
  let reachable = true;
  const sockets = new Set<net.Socket>();
  const socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
    const socket = reachable ? net.connect({ host, port }, onConnect) : net.connect({ host: "127.0.0.1", port: 1 }, onConnect);
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    return socket;
  };
  return {
    socketFactory,
    down() {
      reachable = false;
      for (const socket of sockets) socket.destroy(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }));
    },
    up() {
      reachable = true;
    },
  };
}
