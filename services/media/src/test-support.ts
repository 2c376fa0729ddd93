import { createMemoryPublisher, createTestEdgeDeps } from "@clueline/edge/testing";
import type { ClaimStore } from "@clueline/evidence";
import { createApp, type MediaDeps } from "./app.js";
import type { WebhookSender } from "./webhook-senders.js";
import { signWebhook } from "./webhook-signature.js";

/** Test-only helpers (excluded from the build). */
export const WEBHOOK_SECRET = "webhook-secret-of-at-least-32-characters";
export const OLDER_SECRET = "an-older-secret-still-accepted-in-rotation";
export const OTHER_SENDER_SECRET = "the-secret-of-monitor-b-32-characters";
export const WEBHOOK_SENDERS: WebhookSender[] = [
  { id: "monitor-a", secrets: [WEBHOOK_SECRET, OLDER_SECRET] },
  { id: "monitor-b", secrets: [OTHER_SENDER_SECRET] },
];

/**
 * Claims in memory with the S3 store's rules (first claim wins until released); the integration tests use S3 and
 * show what only it can: a restart keeps them.
 */
export function createMemoryClaimStore(): ClaimStore & { names: Set<string> } {
  const names = new Set<string>();
  return {
    names,
    async claim({ name }) {
      if (names.has(name)) return false;
      names.add(name);
      return true;
    },
    async release({ name }) {
      names.delete(name);
    },
  };
}

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

/** The headers of a delivery signed by `sender` with `secret` at `timestamp` (Unix seconds). */
export function signedHeaders(options: { sender: string; secret: string; timestamp: number; body: string }) {
  return {
    "content-type": "application/json",
    "x-clueline-sender": options.sender,
    "x-clueline-timestamp": String(options.timestamp),
    "x-clueline-signature": signWebhook(options),
  };
}

export function buildMedia(overrides: Partial<MediaDeps> = {}) {
  const publisher = createMemoryPublisher();
  const replay = createMemoryClaimStore();
  const deps: MediaDeps = {
    ...createTestEdgeDeps({ publisher }),
    topics: { mediaReceived: "test.clueline.media.received.v1" },
    webhook: { senders: WEBHOOK_SENDERS, windowSeconds: 300, replay },
    attachmentMaxBytes: 1024 * 1024,
    ...overrides,
  };
  const app = createApp(deps);
  /** Posts to the webhook as `monitor-a` (or `sender`), signed now (or at `timestamp`) with its secret (or `secret`). */
  const deliver = (
    body: unknown,
    options: { timestamp?: number; secret?: string; sender?: string; headers?: Record<string, string> } = {},
  ) => {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    const headers = signedHeaders({
      sender: options.sender ?? "monitor-a",
      secret: options.secret ?? WEBHOOK_SECRET,
      timestamp: options.timestamp ?? Math.floor(deps.clock().getTime() / 1000),
      body: text,
    });
    return app.request("/v1/webhooks/exposures", { method: "POST", body: text, headers: { ...headers, ...options.headers } });
  };
  return { app, deps, publisher, replay, deliver };
}
