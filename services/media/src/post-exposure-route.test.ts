import { mediaReceivedTopic } from "@clueline/contracts";
import { bearerFor } from "@clueline/edge/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildMedia, sampleExposure } from "./test-support.js";

const monitor = await bearerFor(["media:write"], "monitor-1");
const post = (
  app: ReturnType<typeof buildMedia>["app"],
  body: unknown,
  headers: Record<string, string> = { authorization: monitor },
) =>
  app.request("/v1/exposures", {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: { "content-type": "application/json", ...headers },
  });

describe("POST /v1/exposures", () => {
  it("publishes the exposure with its reach, without a reporter identity or receipt code", async () => {
    const { app, publisher } = buildMedia();
    const response = await post(app, sampleExposure());
    expect(response.status).toBe(202);
    const body = (await response.json()) as { complaintId: string; receiptCode?: string };
    expect(body.receiptCode).toBeUndefined();
    const record = publisher.records[0];
    const event = mediaReceivedTopic.parse({
      key: record?.key ?? null,
      value: record?.value ?? null,
      headers: record?.headers ?? {},
    });
    expect(event.data).toMatchObject({
      complaintId: body.complaintId,
      reach: 125_000,
      program: "电视问政",
      reporter: { kind: "anonymous" },
    });
    expect(event.attributes.source).toBe("/clueline/media");
  });

  it("needs media:write (403 for complaint:write), 401 without a token, and names bad fields", async () => {
    const { app } = buildMedia();
    expect((await post(app, sampleExposure(), {})).status).toBe(401);
    expect((await post(app, sampleExposure(), { authorization: await bearerFor(["complaint:write"]) })).status).toBe(403);
    const bad = await post(app, sampleExposure({ url: "not a url", reach: -1, publishedAt: "yesterday" }));
    expect(bad.status).toBe(400);
    const paths = ((await bad.json()) as { errors: { path: string }[] }).errors.map((e) => e.path).sort();
    expect(paths).toEqual(["publishedAt", "reach", "url"]);
  });

  it("is idempotent per caller and key", async () => {
    const { app, publisher } = buildMedia();
    const headers = { authorization: monitor, "idempotency-key": "alert-77" };
    const first = await (await post(app, sampleExposure(), headers)).json();
    expect(await (await post(app, sampleExposure(), headers)).json()).toEqual(first);
    expect((await post(app, sampleExposure({ reach: 5 }), headers)).status).toBe(409);
    expect(publisher.records).toHaveLength(1);
  });

  it("never answers a random body with a 5xx, token or webhook (property)", async () => {
    const { app, deliver } = buildMedia();
    const fields = Object.keys(sampleExposure());
    const mutated = fc
      .record({ field: fc.constantFrom(...fields), value: fc.jsonValue() })
      .map(({ field, value }) => sampleExposure({ [field]: value }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), fc.string(), mutated), async (body) => {
        expect((await post(app, body)).status).toBeLessThan(500);
        expect((await deliver(body)).status).toBeLessThan(500);
      }),
      { numRuns: 200 },
    );
  });
});
