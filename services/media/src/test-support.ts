import { createMemoryPublisher, createTestEdgeDeps } from "@clueline/edge/testing";
import { createApp, type MediaDeps } from "./app.js";
import { signWebhook } from "./webhook-signature.js";

/** Test-only helpers (excluded from the build). */
export const WEBHOOK_SECRET = "webhook-secret-of-at-least-32-characters";

export function sampleExposure(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    outlet: "区融媒体中心",
    program: "电视问政",
    url: "https://news.example.cn/2024/05/06/approval.html",
    publishedAt: "2024-05-06T20:00:00+08:00",
    reach: 125_000,
    excerpt: "节目曝光某镇审批窗口迟迟不批。",
    subjects: { towns: ["chengguan"] },
    ...overrides,
  };
}

export function buildMedia(overrides: Partial<MediaDeps> = {}) {
  const publisher = createMemoryPublisher();
  const deps: MediaDeps = {
    ...createTestEdgeDeps({ publisher }),
    topics: { mediaReceived: "test.clueline.media.received.v1" },
    webhook: { secrets: ["an-older-secret-still-accepted-in-rotation", WEBHOOK_SECRET], windowSeconds: 300 },
    attachmentMaxBytes: 1024 * 1024,
    ...overrides,
  };
  const app = createApp(deps);
  /** Posts to the webhook, signed now (or at `timestamp`) with the secret (or `secret`). */
  const deliver = (body: unknown, options: { timestamp?: number; secret?: string; headers?: Record<string, string> } = {}) => {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    const timestamp = options.timestamp ?? Math.floor(deps.clock().getTime() / 1000);
    const signature = signWebhook({ secret: options.secret ?? WEBHOOK_SECRET, timestamp, body: text });
    const headers = {
      "content-type": "application/json",
      "x-clueline-timestamp": String(timestamp),
      "x-clueline-signature": signature,
    };
    return app.request("/v1/webhooks/exposures", { method: "POST", body: text, headers: { ...headers, ...options.headers } });
  };
  return { app, deps, publisher, deliver };
}
