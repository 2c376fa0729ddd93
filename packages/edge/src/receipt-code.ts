import { createHmac } from "node:crypto";
import { createReceiptCode } from "@clueline/identity";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * The receipt code (回执码) for an anonymous reporter, in the format of `createReceiptCode` (100 bits).
 * Without an Idempotency-Key it is random. With one it is an HMAC of (subject, key, index) under a server
 * secret: a retry after a restart republishes the same complaint id, and the router keeps the first event —
 * so the retry must hand out the code whose hash that first event carried, not a new one. The secret keeps
 * the code unguessable to anyone who does not hold it; only the hash travels on.
 *
 * @example
 * const codes = createReceiptCodes({ secret: hashKey });
 * codes.issue({ subject: "intake-web", idempotencyKey: undefined }); // "7K2M-…"
 */
export function createReceiptCodes(options: { secret: Buffer }) {
  return {
    issue(scope: { subject: string; idempotencyKey: string | undefined; index?: number }): string {
      if (scope.idempotencyKey === undefined) return createReceiptCode();
      const digest = createHmac("sha256", options.secret)
        .update(`clueline-receipt-code\u0000${scope.subject}\u0000${scope.idempotencyKey}\u0000${scope.index ?? ""}`)
        .digest();
      const symbols = [...digest.subarray(0, 20)].map((byte) => ALPHABET[byte & 31]).join("");
      return symbols.match(/.{4}/g)?.join("-") ?? symbols;
    },
  };
}

export type ReceiptCodes = ReturnType<typeof createReceiptCodes>;
