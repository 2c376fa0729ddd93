import { createHmac, timingSafeEqual } from "node:crypto";
import type { ClaimStore } from "@clueline/evidence";
import { type AuthVariables, HttpProblem } from "@clueline/kit";
import type { MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import type { WebhookSender } from "./webhook-senders.js";

export const TIMESTAMP_HEADER = "x-clueline-timestamp";
export const SIGNATURE_HEADER = "x-clueline-signature";
export const SENDER_HEADER = "x-clueline-sender";

/**
 * The signature a sender puts in `x-clueline-signature`: `sha256=` + hex HMAC-SHA-256 over `${timestamp}.${body}`
 * with its own secret, with the Unix time in seconds in `x-clueline-timestamp` and its id in `x-clueline-sender`.
 *
 * @example
 * const timestamp = Math.floor(Date.now() / 1000);
 * fetch(url, { method: "POST", body, headers: { "x-clueline-sender": "monitor-a", "x-clueline-timestamp": String(timestamp),
 *   "x-clueline-signature": signWebhook({ secret, timestamp, body }) } });
 */
export function signWebhook(options: { secret: string; timestamp: number; body: string }): string {
  return `sha256=${createHmac("sha256", options.secret).update(`${options.timestamp}.${options.body}`).digest("hex")}`;
}

const refused = (slug: string, title: string, detail: string) => new HttpProblem({ status: 401, slug, title, detail });

/** The lower-case hex HMAC of an `x-clueline-signature` value, or `undefined` when it is not one. */
export function signatureOf(header: string | undefined): string | undefined {
  return /^(?:sha256=)?([0-9a-f]{64})$/i.exec(header ?? "")?.[1]?.toLowerCase();
}

/**
 * Authenticates a public-opinion monitoring system's webhook. The sender names itself in `x-clueline-sender` and
 * only its own secrets are tried (several, so a secret can rotate without downtime), in constant time; the
 * timestamp must be within `windowSeconds` of now (a captured request goes stale); and a signature is accepted
 * once: a replay within the window gets 409, also after a restart or on another instance, because the signatures
 * seen are claims in `replay` (S3 in production). A delivery that was not accepted (any non-2xx answer) gives its
 * claim back for the sender's retry. Passing requests act as `webhook:<sender-id>` with scope `media:write`.
 * An unknown sender is refused exactly like a wrong signature, so the ids cannot be probed.
 *
 * @example
 * createRoute({ …, middleware: [createWebhookVerifier({ senders, windowSeconds: 300, clock, replay, logger })] });
 */
export function createWebhookVerifier(options: {
  senders: readonly WebhookSender[];
  windowSeconds: number;
  clock: () => Date;
  replay: ClaimStore;
  logger: Logger;
}): MiddlewareHandler<{ Variables: AuthVariables }> {
  const secretsOf = new Map(options.senders.map((sender) => [sender.id, sender.secrets]));

  return async function verifyWebhookSignature(c, next) {
    const now = options.clock().getTime();
    const senderId = c.req.header(SENDER_HEADER) ?? "";
    const timestamp = c.req.header(TIMESTAMP_HEADER) ?? "";
    const given = signatureOf(c.req.header(SIGNATURE_HEADER));
    if (senderId === "" || !/^\d{1,12}$/.test(timestamp) || given === undefined) {
      throw refused(
        "signature-missing",
        "A signed request is required",
        `Send ${SENDER_HEADER}, ${TIMESTAMP_HEADER} and ${SIGNATURE_HEADER}.`,
      );
    }
    if (Math.abs(now - Number(timestamp) * 1000) > options.windowSeconds * 1000) {
      throw refused("signature-stale", "The signature is outside the replay window", "Sign each delivery with the current time.");
    }
    const payload = `${timestamp}.${await c.req.text()}`;
    const givenBytes = Buffer.from(given, "hex");
    const valid = (secretsOf.get(senderId) ?? []).some((secret) =>
      timingSafeEqual(createHmac("sha256", secret).update(payload).digest(), givenBytes),
    );
    if (!valid) {
      throw refused(
        "signature-invalid",
        "The signature does not match",
        "Sign `<timestamp>.<raw body>` with your sender's secret.",
      );
    }
    const claim = { name: `${senderId}/${given}`, expiresAt: new Date((Number(timestamp) + options.windowSeconds) * 1000) };
    if (!(await options.replay.claim(claim))) {
      throw new HttpProblem({
        status: 409,
        slug: "signature-replayed",
        title: "This signed delivery was already received",
        detail: "A signature is accepted once. Sign a new delivery with the current time.",
      });
    }
    c.set("caller", { subject: `webhook:${senderId}`, scopes: new Set(["media:write"]) });
    await next();
    if (c.res.status < 300) return;
    try {
      await options.replay.release(claim);
    } catch (error) {
      // The answer stands; the sender's retry of this very signature gets 409 and must sign anew.
      options.logger.warn(
        { sender: senderId, errorClass: error instanceof Error ? error.name : "unknown" },
        "webhook claim not released",
      );
    }
  };
}
