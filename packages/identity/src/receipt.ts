import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** Crockford base32 without I, L, O, U: readable aloud on a phone, no look-alike characters. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A receipt code for an anonymous reporter: 20 symbols of 5 bits = 100 bits of entropy, shown once in groups
 * of four (e.g. "7K2M-…"). Only its hash is stored; 100 bits make guessing hopeless even without rate limits.
 */
export function createReceiptCode(): string {
  const bytes = randomBytes(20);
  const symbols = [...bytes].map((byte) => ALPHABET[byte & 31]).join("");
  return symbols.match(/.{4}/g)?.join("-") ?? symbols;
}

/** Hash of a code as typed: case and separators do not matter. */
export function hashReceiptCode(code: string): string {
  const canonical = code.toUpperCase().replace(/[^0-9A-Z]/g, "");
  return createHash("sha256").update(`clueline-receipt:${canonical}`).digest("hex");
}

/** Compares a typed code with a stored hash in constant time. */
export function receiptMatches(code: string, storedHash: string): boolean {
  const given = Buffer.from(hashReceiptCode(code), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return given.length === stored.length && timingSafeEqual(given, stored);
}
