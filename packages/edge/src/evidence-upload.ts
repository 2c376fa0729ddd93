import { ChecksumMismatch, type EvidenceStore, sha256Hex } from "@clueline/evidence";
import { HttpProblem, type Scope } from "@clueline/kit";
import { createRoute, z } from "@hono/zod-openapi";
import type { Logger } from "pino";
import type { Authenticator } from "./authenticator.js";
import { BEARER, type EdgeApp, guard } from "./edge-app.js";
import { fingerprintOf, IdempotencyHeaders, runOnce } from "./idempotency.js";
import type { IdempotencyStore } from "./idempotency-store.js";
import { canonicalMediaType, judgeMediaType } from "./media-type.js";
import { problemResponses } from "./openapi-schemas.js";

export const StoredEvidenceBody = z
  .object({
    evidenceId: z.string().openapi({ description: "Server-made; cite it with `sha256` in a complaint's `evidence`." }),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    size: z.number().int(),
    contentType: z.string().openapi({ description: "The type detected from the bytes, e.g. `audio/wav` for `audio/x-wav`." }),
  })
  .openapi("StoredEvidence");

const UploadHeaders = IdempotencyHeaders.extend({
  "x-clueline-sha256": z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, "must be a SHA-256 in hex")
    .optional()
    .openapi({ description: "The SHA-256 the sender computed; on mismatch nothing is stored (422)." }),
});

/**
 * Adds `POST <path>`: the raw body is the file, `Content-Type` one of `contentTypes`, at most `maxBytes`. The
 * object key is server-made and the SHA-256 recorded with the object (chain of custody, DESIGN §8). The type is
 * judged from the bytes before anything is stored: a body that is not what its Content-Type says is a 415, and
 * the type stored and answered is the detected one ({@link judgeMediaType}). The whole body is held in memory
 * once, so `maxBytes` × concurrent uploads bounds the memory uploads can take.
 *
 * @example
 * registerEvidenceUpload(app, { path: "/v1/recordings", contentTypes: ["audio/mpeg"], maxBytes: 50 * 2 ** 20,
 *   scope: "complaint:write", auth, store, idempotency, logger, summary: "Upload a call recording" });
 */
export function registerEvidenceUpload(
  app: EdgeApp,
  options: {
    path: string;
    summary: string;
    contentTypes: readonly string[];
    maxBytes: number;
    scope: Scope;
    auth: Authenticator;
    store: Pick<EvidenceStore, "put">;
    idempotency: IdempotencyStore;
    logger: Logger;
  },
): void {
  const allowed = new Set(options.contentTypes.map(canonicalMediaType));
  const binary = { schema: { type: "string" as const, format: "binary" } };
  const route = createRoute({
    method: "post",
    path: options.path,
    summary: options.summary,
    security: [{ [BEARER]: [] }],
    middleware: guard({ auth: options.auth, scope: options.scope, maxBytes: options.maxBytes }),
    request: {
      headers: UploadHeaders,
      body: { required: true, content: Object.fromEntries(options.contentTypes.map((type) => [type, binary])) },
    },
    responses: {
      201: { description: "Stored, with its SHA-256", content: { "application/json": { schema: StoredEvidenceBody } } },
      ...problemResponses(400, 401, 403, 409, 413, 415, 422, 503),
    },
  });

  app.openapi(route, async function uploadEvidence(c) {
    const declared = c.req.header("content-type") ?? "";
    if (!allowed.has(canonicalMediaType(declared))) {
      throw new HttpProblem({
        status: 415,
        slug: "unsupported-media-type",
        title: "Unsupported media type",
        detail: `Content-Type must be one of: ${options.contentTypes.join(", ")}.`,
      });
    }
    const body = new Uint8Array(await c.req.arrayBuffer());
    if (body.byteLength === 0) throw new HttpProblem({ status: 400, slug: "empty-body", title: "The upload is empty" });
    const judgement = await judgeMediaType({ body, declared, allowed: options.contentTypes });
    if (!judgement.accepted) {
      // Both names are safe to show: the declared one passed the allow-list above, the detected one comes from the
      // detector's own table. Nothing of the body is echoed.
      throw new HttpProblem({
        status: 415,
        slug: "media-type-mismatch",
        title: "The bytes are not of the declared type",
        detail: `Declared ${judgement.declared}, but the bytes are ${judgement.detected ?? "of no recognised type"}. Nothing was stored.`,
      });
    }
    const contentType = judgement.mediaType;
    const headers = c.req.valid("header");
    const sha256 = sha256Hex(body);
    const { value, replayed } = await runOnce({
      store: options.idempotency,
      subject: c.get("caller").subject,
      key: headers["idempotency-key"],
      fingerprint: () => fingerprintOf(`upload ${options.path}`, { contentType, sha256 }),
      run: async () => {
        try {
          const stored = await options.store.put({ body, contentType, expectedSha256: headers["x-clueline-sha256"] });
          return { evidenceId: stored.evidenceId, sha256: stored.sha256, size: stored.size, contentType };
        } catch (error) {
          if (!(error instanceof ChecksumMismatch)) throw error;
          throw new HttpProblem({
            status: 422,
            slug: "checksum-mismatch",
            title: "The body does not match its stated SHA-256",
            detail: "Nothing was stored. Compute the SHA-256 over the exact bytes sent, or omit x-clueline-sha256.",
          });
        }
      },
    });
    if (replayed) c.header("idempotent-replayed", "true");
    else options.logger.info({ evidenceId: value.evidenceId, size: value.size, contentType }, "evidence stored");
    return c.json(value, 201);
  });
}
