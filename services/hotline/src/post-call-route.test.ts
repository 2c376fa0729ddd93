import { hotlineReceivedTopic } from "@clueline/contracts";
import { bearerFor } from "@clueline/edge/testing";
import { hashReceiptCode } from "@clueline/identity";
import { createCapturingLogger } from "@clueline/testing";
import { describe, expect, it } from "vitest";
import { buildHotline, sampleCall } from "./test-support.js";

const writer = await bearerFor(["complaint:write"]);

describe("POST /v1/calls", () => {
  it("publishes a real-name call with the identity sealed and answers 202 with the complaint id", async () => {
    const { post, publisher, deps } = buildHotline();
    const response = await post("/v1/calls", sampleCall(), { authorization: writer });
    expect(response.status).toBe(202);
    const body = (await response.json()) as { complaintId: string; receiptCode?: string };
    expect(body.receiptCode).toBeUndefined();
    const [record] = publisher.records;
    expect(record?.topic).toBe("test.clueline.hotline.received.v1");
    expect(record?.key).toBe(body.complaintId);
    expect(String(record?.value)).not.toMatch(/张三|13800138000|11010519491231002X/);
    const event = hotlineReceivedTopic.parse({
      key: record?.key ?? null,
      value: record?.value ?? null,
      headers: record?.headers ?? {},
    });
    expect(event.attributes).toMatchObject({
      id: body.complaintId,
      source: "/clueline/hotline",
      type: "clueline.hotline.received",
    });
    expect(
      event.data.reporter.kind === "real-name" &&
        deps.sealer.open(event.data.reporter.identity, { complaintId: body.complaintId }).name,
    ).toBe("张三");
  });

  it("gives an anonymous caller a receipt code once; only its hash is published", async () => {
    const { post, publisher } = buildHotline();
    const response = await post("/v1/calls", sampleCall({ reporter: { kind: "anonymous" } }), { authorization: writer });
    const { receiptCode } = (await response.json()) as { receiptCode: string };
    expect(receiptCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    const value = String(publisher.records[0]?.value);
    expect(value).not.toContain(receiptCode);
    expect(value).toContain(hashReceiptCode(receiptCode));
  });

  it("names each bad field in a problem, never echoing the reporter", async () => {
    const { post, publisher } = buildHotline();
    const bad = sampleCall({
      line: "110",
      endedAt: "2024-05-06T09:00:00+08:00",
      reporter: { kind: "real-name", name: "张三", phone: "13800138000 ext. 5" },
    });
    const response = await post("/v1/calls", bad, { authorization: writer });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const text = await response.text();
    expect(text).not.toMatch(/13800138000|张三/);
    const paths = (JSON.parse(text) as { errors: { path: string }[] }).errors.map((e) => e.path).sort();
    expect(paths).toEqual(["endedAt", "line", "reporter.phone"]);
    expect(publisher.records).toHaveLength(0);
  });

  it("compares the call's times only when both are valid timestamps", async () => {
    const { post } = buildHotline();
    const pathsOf = async (body: unknown) =>
      (
        (await (await post("/v1/calls", body, { authorization: writer })).json()) as {
          errors: { path: string; reason: string }[];
        }
      ).errors;
    // A bad start: its format is the only problem, the order of the times is not judged.
    expect(await pathsOf(sampleCall({ startedAt: "yesterday", endedAt: "2024-05-06T09:00:00+08:00" }))).toEqual([
      expect.objectContaining({ path: "startedAt" }),
    ]);
    // Both valid but reversed, beside another field's problem: both are listed.
    const both = await pathsOf(sampleCall({ operatorId: "", endedAt: "2024-05-06T09:00:00+08:00" }));
    expect(both.map((e) => e.path).sort()).toEqual(["endedAt", "operatorId"]);
    expect(both.find((e) => e.path === "endedAt")?.reason).toBe("must not be before startedAt");
  });

  it("refuses missing or wrong credentials (401), a missing scope (403), big bodies (413) and non-JSON (415)", async () => {
    const { post } = buildHotline();
    expect((await post("/v1/calls", sampleCall(), {})).status).toBe(401);
    expect((await post("/v1/calls", sampleCall(), { authorization: "Bearer nope" })).status).toBe(401);
    const media = await post("/v1/calls", sampleCall(), { authorization: await bearerFor(["media:write"]) });
    expect(media.status).toBe(403);
    expect(media.headers.get("content-type")).toBe("application/problem+json");
    expect((await post("/v1/calls", sampleCall({ summary: "长".repeat(30_000) }), { authorization: writer })).status).toBe(413);
    expect((await post("/v1/calls", "{", { authorization: writer })).status).toBe(400);
    expect((await post("/v1/calls", "x", { authorization: writer, "content-type": "text/plain" })).status).toBe(415);
  });

  it("logs accepted and refused calls without the reporter's name, phone or ID number", async () => {
    const { logger, lines } = createCapturingLogger("hotline");
    const { post } = buildHotline({ logger });
    await post("/v1/calls", sampleCall(), { authorization: writer });
    await post("/v1/calls", sampleCall({ reporter: { kind: "real-name", name: "张三", phone: "13800138000!" } }), {
      authorization: writer,
    });
    expect(lines.join("\n")).toContain("complaint accepted");
    expect(lines.join("\n")).not.toMatch(/张三|13800138000|11010519491231002X/);
  });

  it("serves its OpenAPI 3.1 document and docs page", async () => {
    const { app } = buildHotline();
    const doc = (await (await app.request("/openapi.json")).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/v1/calls", "/v1/calls/batch", "/v1/recordings"]));
    expect((await app.request("/docs")).status).toBe(200);
  });
});
