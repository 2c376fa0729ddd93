import { describe, expect, it } from "vitest";
import { buildMedia, sampleExposure, WEBHOOK_SECRET } from "./test-support.js";
import { signWebhook } from "./webhook-signature.js";

describe("POST /v1/webhooks/exposures", () => {
  it("accepts a delivery signed with the current or the previous secret", async () => {
    const { deliver, publisher } = buildMedia();
    expect((await deliver(sampleExposure())).status).toBe(202);
    expect((await deliver(sampleExposure({ reach: 1 }), { secret: "an-older-secret-still-accepted-in-rotation" })).status).toBe(
      202,
    );
    expect(publisher.records).toHaveLength(2);
  });

  it("refuses a missing, wrong or stale signature with 401, and a replayed one with 409", async () => {
    let now = Date.parse("2024-05-06T12:00:00Z");
    const { deliver, app, publisher } = buildMedia({ clock: () => new Date(now) });
    const bare = await app.request("/v1/webhooks/exposures", { method: "POST", body: JSON.stringify(sampleExposure()) });
    expect(bare.status).toBe(401);
    expect((await deliver(sampleExposure(), { secret: "x".repeat(40) })).status).toBe(401);
    const stale = await deliver(sampleExposure(), { timestamp: now / 1000 - 301 });
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as { type: string }).type).toContain("signature-stale");
    const signedAt = now / 1000;
    expect((await deliver(sampleExposure(), { timestamp: signedAt })).status).toBe(202);
    now += 60_000;
    const replay = await deliver(sampleExposure(), { timestamp: signedAt });
    expect(replay.status).toBe(409);
    expect(publisher.records).toHaveLength(1);
  });

  it("detects a body changed after signing", async () => {
    const { app, publisher } = buildMedia();
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = signWebhook({ secret: WEBHOOK_SECRET, timestamp, body: JSON.stringify(sampleExposure()) });
    const forged = await app.request("/v1/webhooks/exposures", {
      method: "POST",
      body: JSON.stringify(sampleExposure({ reach: 0 })),
      headers: {
        "content-type": "application/json",
        "x-clueline-timestamp": String(timestamp),
        "x-clueline-signature": signature,
      },
    });
    expect(forged.status).toBe(401);
    expect(publisher.records).toHaveLength(0);
  });

  it("frees the signature of a delivery that was not accepted, so the sender's retry goes through", async () => {
    const { deliver, publisher } = buildMedia();
    const timestamp = Math.floor(Date.now() / 1000);
    publisher.down = true;
    expect((await deliver(sampleExposure(), { timestamp })).status).toBe(503);
    publisher.down = false;
    expect((await deliver(sampleExposure(), { timestamp })).status).toBe(202);
    expect((await deliver("{", { timestamp: timestamp + 1 })).status).toBe(400);
    expect((await deliver(sampleExposure(), { timestamp })).status).toBe(409);
  });
});
