import { mediaReceivedTopic } from "@clueline/contracts";
import { bearerFor } from "@clueline/edge/testing";
import { describe, expect, it } from "vitest";
import { buildMedia, sampleExposure } from "./test-support.js";

const monitor = await bearerFor(["media:write"], "monitor-1");

describe("categoryHints on media exposures (issue 19: checked against the directory's taxonomy)", () => {
  it("accepts codes of the shipped directory on POST /v1/exposures", async () => {
    const { app, publisher } = buildMedia();
    const response = await app.request("/v1/exposures", {
      method: "POST",
      body: JSON.stringify(sampleExposure({ categoryHints: ["unpaid-accounts"] })),
      headers: { "content-type": "application/json", authorization: monitor },
    });
    expect(response.status).toBe(202);
    const [record] = publisher.records;
    const event = mediaReceivedTopic.parse({
      key: record?.key ?? null,
      value: record?.value ?? null,
      headers: record?.headers ?? {},
    });
    expect(event.data.categoryHints).toEqual(["unpaid-accounts"]);
  });

  it("refuses an unknown code on POST /v1/exposures with a 400 naming the field, its index and the code", async () => {
    const { app, publisher } = buildMedia();
    const response = await app.request("/v1/exposures", {
      method: "POST",
      body: JSON.stringify(sampleExposure({ categoryHints: ["unpaid-accounts", "arrears"] })),
      headers: { "content-type": "application/json", authorization: monitor },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const { errors } = (await response.json()) as { errors: { path: string; reason: string }[] };
    expect(errors).toEqual([{ path: "categoryHints.1", reason: expect.stringContaining('unknown category "arrears"') }]);
    expect(publisher.records).toHaveLength(0);
  });

  it("refuses an unknown code from a signed webhook delivery the same way", async () => {
    const { deliver, publisher } = buildMedia();
    const refused = await deliver(sampleExposure({ categoryHints: ["arrears"] }));
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(["categoryHints.0"]);
    expect((await deliver(sampleExposure({ excerpt: "另一条曝光。", categoryHints: ["unpaid-accounts"] }))).status).toBe(202);
    expect(publisher.records).toHaveLength(1);
  });
});
