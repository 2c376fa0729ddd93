import type { MediaReceived } from "@clueline/contracts";
import {
  type Acceptor,
  type Authenticator,
  acceptedResponse,
  BEARER,
  type EdgeApp,
  guard,
  IdempotencyHeaders,
  problemResponses,
} from "@clueline/edge";
import { limitBody } from "@clueline/kit";
import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { Exposure, exposureSubmission } from "./exposure.js";
import { SENDER_HEADER, SIGNATURE_HEADER, signatureOf, TIMESTAMP_HEADER } from "./webhook-signature.js";

/** An exposure is text plus a URL; 20,000 CJK characters are 60 KB, so 128 KB leaves room. */
export const EXPOSURE_MAX_BYTES = 128 * 1024;

const WebhookHeaders = IdempotencyHeaders.extend({
  [SENDER_HEADER]: z
    .string()
    .openapi({ description: "The sender's id, as configured with its secrets; it acts as `webhook:<id>`", example: "monitor-a" }),
  [TIMESTAMP_HEADER]: z
    .string()
    .openapi({ description: "Unix time in seconds when the delivery was signed", example: "1714996800" }),
  [SIGNATURE_HEADER]: z.string().openapi({ description: "`sha256=` + hex HMAC-SHA-256 over `<timestamp>.<body>`" }),
});

/**
 * `POST /v1/exposures` (bearer token with `media:write`) and `POST /v1/webhooks/exposures` (HMAC-signed, for
 * public-opinion monitoring systems): one exposure each, 202 with the complaint id after Kafka acknowledged it.
 *
 * @example
 * registerPostExposure(app, { acceptor, auth, webhookVerifier: createWebhookVerifier({ senders, windowSeconds: 300, … }) });
 */
export function registerPostExposure(
  app: EdgeApp,
  options: { acceptor: Acceptor<typeof MediaReceived>; auth: Authenticator; webhookVerifier: MiddlewareHandler },
): void {
  const common = {
    method: "post" as const,
    request: { headers: IdempotencyHeaders, body: { required: true, content: { "application/json": { schema: Exposure } } } },
    responses: { 202: acceptedResponse, ...problemResponses(400, 401, 403, 409, 413, 415, 503) },
  };
  const plain = createRoute({
    ...common,
    path: "/v1/exposures",
    summary: "Push a media exposure",
    security: [{ [BEARER]: [] }],
    middleware: guard({ auth: options.auth, scope: "media:write", maxBytes: EXPOSURE_MAX_BYTES }),
  });
  const webhook = createRoute({
    ...common,
    path: "/v1/webhooks/exposures",
    summary: "Receive a public-opinion (舆情) alert from a monitoring system",
    description:
      "Authenticated by an HMAC signature, not a token. A signature older than the replay window, or seen before, is refused.",
    request: { ...common.request, headers: WebhookHeaders },
    middleware: [
      // The limit comes first: the verifier reads the whole body to check the signature.
      limitBody(EXPOSURE_MAX_BYTES),
      options.webhookVerifier,
    ],
  });

  for (const [route, operation] of [
    [plain, "post-exposure"],
    [webhook, "webhook-exposure"],
  ] as const) {
    app.openapi(route, async function postExposure(c) {
      const exposure = c.req.valid("json");
      const { value, replayed } = await options.acceptor.acceptOne({
        caller: c.get("caller"),
        idempotencyKey: idempotencyKeyOf({
          operation,
          given: c.req.valid("header")["idempotency-key"],
          signature: c.req.header(SIGNATURE_HEADER),
        }),
        operation,
        body: exposure,
        requestId: c.get("requestId"),
        submission: exposureSubmission(exposure),
      });
      if (replayed) c.header("idempotent-replayed", "true");
      return c.json(value, 202);
    });
  }
}

/**
 * A webhook delivery without an Idempotency-Key is keyed by its signature, so its complaint id is a function of
 * (sender, signature) — `complaintIdFor` of the caller `webhook:<id>` and this key. A delivery that slipped past
 * the replay memory would then republish the same complaint id, which the router drops as a duplicate.
 */
function idempotencyKeyOf(request: {
  operation: string;
  given: string | undefined;
  signature: string | undefined;
}): string | undefined {
  if (request.given !== undefined || request.operation !== "webhook-exposure") return request.given;
  const hmac = signatureOf(request.signature);
  return hmac === undefined ? undefined : `signature:${hmac}`;
}
