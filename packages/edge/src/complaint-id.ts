import { createHash } from "node:crypto";
import { newId } from "@clueline/contracts";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * The id of a new complaint. Without an Idempotency-Key it is a fresh ULID. With one it is a function of the
 * caller's subject and the key (and the item's index in a batch), so a retry — even after a restart, when the
 * in-process idempotency store has forgotten the first attempt — republishes the same complaint id, which the
 * router drops as a duplicate (DESIGN §6 rule 9). Keyed ids are ULID-shaped (26 Crockford base32 symbols,
 * first one 0–7) so every complaint id has one format, but their time part carries no time: read
 * `receivedAt`, never the id, for when a complaint arrived.
 *
 * @example
 * complaintIdFor({ subject: "op-7", idempotencyKey: "k-1", now: new Date() }); // same value every time
 */
export function complaintIdFor(options: {
  subject: string;
  idempotencyKey: string | undefined;
  index?: number;
  now: Date;
}): string {
  if (options.idempotencyKey === undefined) return newId(options.now.getTime());
  const digest = createHash("sha256")
    .update(`clueline-complaint-id\u0000${options.subject}\u0000${options.idempotencyKey}\u0000${options.index ?? ""}`)
    .digest();
  return toCrockford(digest);
}

/** 128 bits as 26 symbols of 5 bits, as a ULID is: the first symbol carries the top 3 bits, so it is 0–7. */
function toCrockford(bytes: Buffer): string {
  let bits = 0n;
  for (const byte of bytes.subarray(0, 16)) bits = (bits << 8n) | BigInt(byte);
  let text = "";
  for (let i = 0; i < 26; i++) {
    text = CROCKFORD[Number(bits & 31n)] + text;
    bits >>= 5n;
  }
  return text;
}
