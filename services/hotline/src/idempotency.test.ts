import { createKafka, createPublisher } from "@clueline/bus";
import { bearerFor, createTestEdgeDeps } from "@clueline/edge/testing";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { buildHotline, sampleCall } from "./test-support.js";

const writer = await bearerFor(["complaint:write"]);
const anonymous = sampleCall({ reporter: { kind: "anonymous" } });

describe("Idempotency-Key", () => {
  it("answers a repeat with the same answer and publishes nothing new", async () => {
    const { post, publisher } = buildHotline();
    const headers = { authorization: writer, "idempotency-key": "call-1" };
    const first = await post("/v1/calls", anonymous, headers);
    const again = await post("/v1/calls", { ...anonymous }, headers);
    expect(again.status).toBe(202);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(await first.json());
    expect(publisher.records).toHaveLength(1);
  });

  it("publishes concurrent repeats once", async () => {
    const { post, publisher } = buildHotline();
    const headers = { authorization: writer, "idempotency-key": "call-2" };
    const answers = await Promise.all(Array.from({ length: 5 }, () => post("/v1/calls", anonymous, headers)));
    const ids = new Set(await Promise.all(answers.map(async (r) => ((await r.json()) as { complaintId: string }).complaintId)));
    expect(ids.size).toBe(1);
    expect(publisher.records).toHaveLength(1);
  });

  it("refuses the same key with another body (409), and scopes keys per caller", async () => {
    const { post, publisher } = buildHotline();
    await post("/v1/calls", anonymous, { authorization: writer, "idempotency-key": "call-3" });
    const other = await post("/v1/calls", sampleCall({ callId: "C-2" }), { authorization: writer, "idempotency-key": "call-3" });
    expect(other.status).toBe(409);
    expect(((await other.json()) as { type: string }).type).toContain("idempotency-key-reused");
    const otherCaller = await bearerFor(["complaint:write"], "operator-2");
    expect(
      (await post("/v1/calls", sampleCall({ callId: "C-2" }), { authorization: otherCaller, "idempotency-key": "call-3" }))
        .status,
    ).toBe(202);
    expect(publisher.records).toHaveLength(2);
  });

  it("gives the same complaint id and receipt code after a restart (a fresh store), so the router can dedupe", async () => {
    const deps = createTestEdgeDeps();
    const headers = { authorization: writer, "idempotency-key": "call-4" };
    const before = await buildHotline({ sealer: deps.sealer, receiptCodes: deps.receiptCodes }).post(
      "/v1/calls",
      anonymous,
      headers,
    );
    const after = await buildHotline({ sealer: deps.sealer, receiptCodes: deps.receiptCodes }).post(
      "/v1/calls",
      anonymous,
      headers,
    );
    const [a, b] = (await Promise.all([before.json(), after.json()])) as { complaintId: string; receiptCode: string }[];
    expect(b?.complaintId).toBe(a?.complaintId);
    expect(b?.receiptCode).toBe(a?.receiptCode);
  });
});

describe("Kafka unavailable", () => {
  it("answers 503 with Retry-After, issues no receipt code, and accepts the retry once Kafka is back", async () => {
    const { post, publisher } = buildHotline();
    publisher.down = true;
    const headers = { authorization: writer, "idempotency-key": "call-5" };
    const refused = await post("/v1/calls", anonymous, headers);
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("5");
    expect(await refused.text()).not.toContain("receiptCode");
    publisher.down = false;
    const accepted = await post("/v1/calls", anonymous, headers);
    expect(accepted.status).toBe(202);
    expect(accepted.headers.get("idempotent-replayed")).toBeNull();
    expect(publisher.records).toHaveLength(1);
  });

  it("answers 503 when the real publisher points at a closed port", async () => {
    const logger = pino({ level: "silent" });
    const kafka = createKafka({ brokers: ["127.0.0.1:1"], clientId: "hotline-test", logger });
    const publisher = createPublisher({ kafka, logger, timeoutMs: 1_000 });
    const { post } = buildHotline({ publisher });
    const started = Date.now();
    const response = await post("/v1/calls", anonymous, { authorization: writer });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(((await response.json()) as { detail: string }).detail).toContain("Nothing was accepted");
    expect(Date.now() - started).toBeLessThan(5_000);
    await publisher.close().catch(() => undefined);
  });
});
