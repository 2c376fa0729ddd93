import { createHash } from "node:crypto";
import { HttpProblem } from "@clueline/kit";
import { z } from "@hono/zod-openapi";
import type { IdempotencyStore } from "./idempotency-store.js";

/** The `Idempotency-Key` request header (IETF httpapi draft): any printable ASCII, up to 255 characters. */
export const IdempotencyHeaders = z.object({
  "idempotency-key": z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/, "must be 1–255 printable ASCII characters")
    .optional()
    .openapi({
      description:
        "Makes a retry safe: the same key and body return the same answer and publish nothing new; the same key " +
        "with another body is refused with 409. Keys are scoped to the caller.",
      example: "5c1f0e4e-2b7a-4d0e-9a51-2f0c8c9d4b11",
    }),
});

/** JSON with object keys sorted, so two bodies that differ only in key order have one fingerprint. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const fields = Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`);
    return `{${fields.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** The request's identity for idempotency: which operation, with which (validated) body. */
export function fingerprintOf(operation: string, body: unknown): string {
  return createHash("sha256").update(operation).update("\n").update(canonicalJson(body)).digest("hex");
}

/**
 * Runs `run` once per (caller, key): a repeat with the same fingerprint gets the first answer (waiting for it
 * when it is still in flight), another fingerprint gets a 409 problem, and a failure releases the key.
 * Without a key, `run` simply runs.
 *
 * @example
 * const { value, replayed } = await runOnce({ store, subject: caller.subject, key,
 *   fingerprint: () => fingerprintOf("post-call", body), run: () => accept() });
 */
export async function runOnce<T>(options: {
  store: IdempotencyStore;
  subject: string;
  key: string | undefined;
  /** Computed only when there is a key: canonical JSON of a body is not free. */
  fingerprint: () => string;
  run: () => Promise<T>;
}): Promise<{ value: T; replayed: boolean }> {
  if (options.key === undefined) return { value: await options.run(), replayed: false };
  const claim = options.store.claim(`${options.subject}\u0000${options.key}`, options.fingerprint());
  if (claim.kind === "conflict") {
    throw new HttpProblem({
      status: 409,
      slug: "idempotency-key-reused",
      title: "Idempotency-Key reused with another request",
      detail: "This key was already used with a different body or endpoint. Use a new key for a new request.",
    });
  }
  // The fingerprint covers the operation, so a replayed answer was produced by this same operation: it is a T.
  if (claim.kind === "replay") return { value: (await claim.answer) as T, replayed: true };
  try {
    const value = await options.run();
    claim.settle(value);
    return { value, replayed: false };
  } catch (error) {
    claim.release(error);
    throw error;
  }
}
