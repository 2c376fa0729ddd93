import { mediaReceivedTopic } from "@clueline/contracts";
import {
  createAcceptor,
  createAuthenticator,
  createEdgeApp,
  type EdgeApp,
  type EdgeDeps,
  registerEvidenceUpload,
} from "@clueline/edge";
import type { ClaimStore } from "@clueline/evidence";
import type { MiddlewareHandler } from "hono";
import { registerPostExposure } from "./post-exposure-route.js";
import type { WebhookSender } from "./webhook-senders.js";
import { createWebhookVerifier } from "./webhook-signature.js";

/** Screenshots and PDFs of clippings. */
export const CLIPPING_TYPES = ["image/jpeg", "image/png", "image/webp", "application/pdf"];

export interface MediaDeps extends EdgeDeps {
  /** `mediaReceived` is prefixed in tests (`TOPIC_PREFIX`), so any name goes. */
  topics: { mediaReceived: string };
  /** `replay` remembers accepted signatures past a restart: S3 claims in production. */
  webhook: { senders: readonly WebhookSender[]; windowSeconds: number; replay: ClaimStore };
  attachmentMaxBytes: number;
}

/**
 * The media edge: exposures pushed by media monitors with a token, or by public-opinion monitoring systems
 * through an HMAC-signed webhook, and clippings as evidence.
 *
 * @example
 * const replay = createS3ClaimStore({ settings, prefix: "webhook-replay/" });
 * const app = createApp({ ...edgeDeps, topics, webhook: { senders, windowSeconds: 300, replay }, attachmentMaxBytes });
 */
export function createApp(deps: MediaDeps): EdgeApp {
  const app = createEdgeApp({
    service: "media",
    version: deps.version ?? "0.0.0",
    description: "Media exposures: news reports, TV inquiry programmes (电视问政) and public-opinion (舆情) alerts.",
    logger: deps.logger,
    readiness: deps.readiness,
    maxBodyBytes: deps.attachmentMaxBytes,
  });
  const auth = createAuthenticator({ verifier: deps.verifier });
  const acceptor = createAcceptor({
    ...deps,
    topic: mediaReceivedTopic,
    topicName: deps.topics.mediaReceived,
    source: "/clueline/media",
  });
  const webhookVerifier = createWebhookVerifier({ ...deps.webhook, clock: deps.clock, logger: deps.logger }) as MiddlewareHandler;
  registerPostExposure(app, { acceptor, auth, webhookVerifier });
  registerEvidenceUpload(app, {
    path: "/v1/attachments",
    summary: "Upload a clipping (screenshot or PDF)",
    contentTypes: CLIPPING_TYPES,
    maxBytes: deps.attachmentMaxBytes,
    scope: "media:write",
    auth,
    store: deps.evidence,
    idempotency: deps.idempotency,
    logger: deps.logger,
  });
  return app;
}
