import { createHash, randomFillSync } from "node:crypto";
import { ulid } from "ulid";

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
  if (options.idempotencyKey === undefined) return ulid(options.now.getTime(), pooledRandom);
  const digest = createHash("sha256")
    .update(`clueline-complaint-id\u0000${options.subject}\u0000${options.idempotencyKey}\u0000${options.index ?? ""}`)
    .digest();
  return toCrockford(digest);
}

// ulid's default source asks WebCrypto for one byte per symbol, 16 calls an id (measured ~25 µs); one 4 KB
// refill serves 256 ids. Math.floor(byte / 256 * 32) is byte >> 3, so every symbol stays uniform.
const pool = Buffer.alloc(4096);
let next = pool.length;
function pooledRandom(): number {
  if (next >= pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return (pool[next++] as number) / 256;
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
