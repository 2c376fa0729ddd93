import { createHmac, timingSafeEqual } from "node:crypto";
import { type AuthVariables, HttpProblem } from "@clueline/kit";
import type { MiddlewareHandler } from "hono";

export const TIMESTAMP_HEADER = "x-clueline-timestamp";
export const SIGNATURE_HEADER = "x-clueline-signature";

/**
 * The signature a sender puts in `x-clueline-signature`: `sha256=` + hex HMAC-SHA-256 over `${timestamp}.${body}`,
 * with the Unix time in seconds in `x-clueline-timestamp`.
 *
 * @example
 * const timestamp = Math.floor(Date.now() / 1000);
 * fetch(url, { method: "POST", body, headers: { "x-clueline-timestamp": String(timestamp),
 *   "x-clueline-signature": signWebhook({ secret, timestamp, body }) } });
 */
export function signWebhook(options: { secret: string; timestamp: number; body: string }): string {
  return `sha256=${createHmac("sha256", options.secret).update(`${options.timestamp}.${options.body}`).digest("hex")}`;
}

const refused = (slug: string, title: string, detail: string) => new HttpProblem({ status: 401, slug, title, detail });

/**
 * Authenticates a public-opinion monitoring system's webhook: the timestamp must be within `windowSeconds` of
 * now (a captured request goes stale), the signature must match one of `secrets` (several, so a secret can
 * rotate without downtime), compared in constant time, and a signature is accepted once: a replay within the
 * window gets 409. A delivery that was not accepted (any non-2xx answer) frees its signature for the sender's
 * retry. Passing requests act as the caller `media-webhook` with scope `media:write`.
 *
 * @example
 * createRoute({ …, middleware: [createWebhookVerifier({ secrets, windowSeconds: 300, clock })] });
 */
export function createWebhookVerifier(options: {
  secrets: string[];
  windowSeconds: number;
  clock: () => Date;
  /** Only verified signatures are remembered, so only a secret holder can fill this; 100,000 ≈ 15 MB. */
  maxRemembered?: number;
}): MiddlewareHandler<{ Variables: AuthVariables }> {
  const maxRemembered = options.maxRemembered ?? 100_000;
  const seen = new Map<string, number>(); // signature → when it may be forgotten (ms)

  function remember(signature: string, until: number, now: number): void {
    for (const [old, expiresAt] of seen) {
      if (expiresAt > now && seen.size < maxRemembered) break;
      seen.delete(old);
    }
    seen.set(signature, until);
  }

  return async function verifyWebhookSignature(c, next) {
    const now = options.clock().getTime();
    const timestamp = c.req.header(TIMESTAMP_HEADER) ?? "";
    const given = /^(?:sha256=)?([0-9a-f]{64})$/i.exec(c.req.header(SIGNATURE_HEADER) ?? "")?.[1]?.toLowerCase();
    if (!/^\d{1,12}$/.test(timestamp) || given === undefined) {
      throw refused("signature-missing", "A signed request is required", `Send ${TIMESTAMP_HEADER} and ${SIGNATURE_HEADER}.`);
    }
    if (Math.abs(now - Number(timestamp) * 1000) > options.windowSeconds * 1000) {
      throw refused("signature-stale", "The signature is outside the replay window", "Sign each delivery with the current time.");
    }
    const payload = `${timestamp}.${await c.req.text()}`;
    const givenBytes = Buffer.from(given, "hex");
    const valid = options.secrets.some((secret) =>
      timingSafeEqual(createHmac("sha256", secret).update(payload).digest(), givenBytes),
    );
    if (!valid)
      throw refused("signature-invalid", "The signature does not match", "Sign `<timestamp>.<raw body>` with the shared secret.");
    const expiresAt = seen.get(given);
    if (expiresAt !== undefined && expiresAt > now) {
      throw new HttpProblem({
        status: 409,
        slug: "signature-replayed",
        title: "This signed delivery was already received",
        detail: "A signature is accepted once. Sign a new delivery with the current time.",
      });
    }
    remember(given, (Number(timestamp) + options.windowSeconds) * 1000, now);
    c.set("caller", { subject: "media-webhook", scopes: new Set(["media:write"]) });
    await next();
    if (c.res.status >= 300) seen.delete(given);
  };
}
