import { complaintIdFor } from "@clueline/edge";
import { createCapturingLogger } from "@clueline/testing";
import { describe, expect, it } from "vitest";
import { buildMedia, OLDER_SECRET, OTHER_SENDER_SECRET, sampleExposure, signedHeaders, WEBHOOK_SECRET } from "./test-support.js";
import { signatureOf, signWebhook } from "./webhook-signature.js";

const typeOf = async (response: Response) => ((await response.json()) as { type: string }).type;

describe("POST /v1/webhooks/exposures", () => {
  it("accepts a delivery signed with the sender's current or previous secret", async () => {
    const { deliver, publisher } = buildMedia();
    expect((await deliver(sampleExposure())).status).toBe(202);
    expect((await deliver(sampleExposure({ reach: 1 }), { secret: OLDER_SECRET })).status).toBe(202);
    expect((await deliver(sampleExposure({ reach: 2 }), { sender: "monitor-b", secret: OTHER_SENDER_SECRET })).status).toBe(202);
    expect(publisher.records).toHaveLength(3);
  });

  it("tries only the named sender's secrets: monitor-a's secret does not sign for monitor-b, nor for an unknown id", async () => {
    const { deliver, publisher } = buildMedia();
    const asB = await deliver(sampleExposure(), { sender: "monitor-b", secret: WEBHOOK_SECRET });
    expect(asB.status).toBe(401);
    expect(await typeOf(asB)).toContain("signature-invalid");
    const unknown = await deliver(sampleExposure(), { sender: "monitor-z", secret: WEBHOOK_SECRET });
    expect(unknown.status).toBe(401);
    expect(await typeOf(unknown)).toContain("signature-invalid");
    const anonymous = await deliver(sampleExposure(), { headers: { "x-clueline-sender": "" } });
    expect(anonymous.status).toBe(401);
    expect(await typeOf(anonymous)).toContain("signature-missing");
    expect(publisher.records).toHaveLength(0);
  });

  it("acts as webhook:<sender>, with a complaint id fixed by (sender, signature)", async () => {
    const { logger, lines } = createCapturingLogger("media");
    const now = Date.parse("2024-05-06T12:00:00Z");
    const { app, deliver } = buildMedia({ logger, clock: () => new Date(now) });
    const body = JSON.stringify(sampleExposure());
    const timestamp = now / 1000;
    const accepted = async (response: Response) => ((await response.json()) as { complaintId: string }).complaintId;
    const fromA = await accepted(await deliver(body, { timestamp }));
    const fromB = await accepted(await deliver(body, { timestamp, sender: "monitor-b", secret: OTHER_SENDER_SECRET }));
    const signature = signatureOf(signWebhook({ secret: WEBHOOK_SECRET, timestamp, body }));
    const expected = complaintIdFor({ subject: "webhook:monitor-a", idempotencyKey: `signature:${signature}`, now: new Date() });
    expect(fromA).toBe(expected);
    expect(fromB).not.toBe(fromA);
    const logged = lines.map((line) => JSON.parse(line) as { msg: string; subject?: string; complaintId?: string });
    expect(
      logged.filter((line) => line.msg === "complaint accepted").map(({ subject, complaintId }) => ({ subject, complaintId })),
    ).toEqual([
      { subject: "webhook:monitor-a", complaintId: fromA },
      { subject: "webhook:monitor-b", complaintId: fromB },
    ]);
    // A sender's own Idempotency-Key, when it sends one, is its delivery id instead.
    const keyed = await deliver(sampleExposure({ reach: 3 }), { headers: { "idempotency-key": "alert-77" } });
    expect(await accepted(keyed)).toBe(
      complaintIdFor({ subject: "webhook:monitor-a", idempotencyKey: "alert-77", now: new Date() }),
    );
    expect((await app.request("/openapi.json")).status).toBe(200);
  });

  it("refuses a missing, wrong or stale signature with 401, and a replayed one with 409 until it is stale", async () => {
    let now = Date.parse("2024-05-06T12:00:00Z");
    const { deliver, app, publisher, replay } = buildMedia({ clock: () => new Date(now) });
    const bare = await app.request("/v1/webhooks/exposures", { method: "POST", body: JSON.stringify(sampleExposure()) });
    expect(bare.status).toBe(401);
    expect((await deliver(sampleExposure(), { secret: "x".repeat(40) })).status).toBe(401);
    const stale = await deliver(sampleExposure(), { timestamp: now / 1000 - 301 });
    expect(stale.status).toBe(401);
    expect(await typeOf(stale)).toContain("signature-stale");
    const signedAt = now / 1000;
    expect((await deliver(sampleExposure(), { timestamp: signedAt })).status).toBe(202);
    expect(replay.names.size).toBe(1);
    now += 60_000;
    const replayed = await deliver(sampleExposure(), { timestamp: signedAt });
    expect(replayed.status).toBe(409);
    now += 241_000; // past the window: the captured delivery is stale, whatever the replay memory holds
    expect(await typeOf(await deliver(sampleExposure(), { timestamp: signedAt }))).toContain("signature-stale");
    expect(publisher.records).toHaveLength(1);
  });

  it("detects a body changed after signing", async () => {
    const { app, publisher } = buildMedia();
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = signedHeaders({
      sender: "monitor-a",
      secret: WEBHOOK_SECRET,
      timestamp,
      body: JSON.stringify(sampleExposure()),
    });
    const forged = await app.request("/v1/webhooks/exposures", {
      method: "POST",
      body: JSON.stringify(sampleExposure({ reach: 0 })),
      headers,
    });
    expect(forged.status).toBe(401);
    expect(publisher.records).toHaveLength(0);
  });

  it("frees the signature of a delivery that was not accepted, so the sender's retry goes through", async () => {
    const { deliver, publisher, replay } = buildMedia();
    const timestamp = Math.floor(Date.now() / 1000);
    publisher.down = true;
    expect((await deliver(sampleExposure(), { timestamp })).status).toBe(503);
    expect(replay.names.size).toBe(0);
    publisher.down = false;
    expect((await deliver(sampleExposure(), { timestamp })).status).toBe(202);
    expect((await deliver("{", { timestamp: timestamp + 1 })).status).toBe(400);
    expect((await deliver(sampleExposure(), { timestamp })).status).toBe(409);
    expect(replay.names.size).toBe(1);
  });
});
