import { createCipheriv, createDecipheriv, createHmac, createSecretKey, type KeyObject } from "node:crypto";
import { createRandomPool, ReporterIdentity, type SealedIdentity } from "@clueline/contracts";

/** A sealed identity that cannot be opened: unknown key, or tampered ciphertext (GCM tag mismatch). */
export class IdentityUnreadable extends Error {
  override readonly name = "IdentityUnreadable";
}

export interface KeyRing {
  /** Key id → 32-byte key. Keep retired keys here as long as records sealed with them must stay readable. */
  keys: Record<string, Buffer>;
  /** The key new records are sealed with. */
  activeKeyId: string;
  /** Key for the merge hash; rotating it breaks merging across the change, so it rotates rarely. */
  hashKey: Buffer;
}

/** Parses `IDENTITY_KEYS` = "k1:<base64 32 bytes>,k2:<…>" into a key map, refusing keys of the wrong size. */
export function parseKeys(value: string): Record<string, Buffer> {
  const keys: Record<string, Buffer> = {};
  for (const entry of value.split(",").filter(Boolean)) {
    const [keyId, encoded] = entry.split(":");
    const key = Buffer.from(encoded ?? "", "base64");
    if (!keyId || key.length !== 32)
      throw new RangeError(`identity key ${JSON.stringify(keyId ?? "")} must be 32 bytes in base64`);
    keys[keyId] = key;
  }
  return keys;
}

/** Digits and letters only, upper-cased, with China's +86 country code dropped: "+86 138-0013-8000" → "13800138000". */
export function normalizeContact(value: string): string {
  const compact = value.replace(/[^0-9a-z]/gi, "").toUpperCase();
  return compact.length === 13 && compact.startsWith("86") ? compact.slice(2) : compact;
}

/**
 * Seals reporter identity with AES-256-GCM and derives the keyed merge hash (HMAC-SHA-256 of the
 * normalized phone, else ID number), so the router can merge complaints without ever decrypting.
 *
 * @example
 * const sealer = createIdentitySealer(ring);
 * const sealed = sealer.seal({ name: "张三", phone: "13800138000" });
 * sealer.open(sealed).name; // "张三"
 */
export function createIdentitySealer(ring: KeyRing) {
  if (!ring.keys[ring.activeKeyId]) throw new RangeError(`active identity key ${ring.activeKeyId} is not in the key ring`);
  // Imported once: a raw Buffer key is imported again on every createCipheriv / createHmac call.
  const activeKey = createSecretKey(ring.keys[ring.activeKeyId] as Buffer);
  const activeAad = Buffer.from(ring.activeKeyId);
  const hashKey: KeyObject = createSecretKey(ring.hashKey);
  // 512 IVs a refill of the CSPRNG pool instead of one randomBytes call each.
  const ivs = createRandomPool(12 * 512);
  return {
    seal(identity: ReporterIdentity): SealedIdentity {
      // 96-bit random IVs: with one key, collisions stay negligible well past billions of records.
      const iv = ivs.take(12);
      const cipher = createCipheriv("aes-256-gcm", activeKey, iv);
      cipher.setAAD(activeAad);
      const ciphertext = Buffer.concat([cipher.update(JSON.stringify(identity), "utf8"), cipher.final()]);
      return {
        alg: "A256GCM",
        keyId: ring.activeKeyId,
        iv: iv.toString("base64"),
        tag: cipher.getAuthTag().toString("base64"),
        ciphertext: ciphertext.toString("base64"),
      };
    },
    open(sealed: SealedIdentity): ReporterIdentity {
      const key = ring.keys[sealed.keyId];
      if (!key) throw new IdentityUnreadable(`identity sealed with unknown key ${sealed.keyId}`);
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(sealed.iv, "base64"));
        decipher.setAAD(Buffer.from(sealed.keyId));
        decipher.setAuthTag(Buffer.from(sealed.tag, "base64"));
        const plain = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, "base64")), decipher.final()]);
        return ReporterIdentity.parse(JSON.parse(plain.toString("utf8")));
      } catch (cause) {
        throw new IdentityUnreadable("sealed identity failed authentication", { cause });
      }
    },
    /** The merge hash, or undefined when there is neither ID number nor phone to hash. */
    mergeHash(identity: ReporterIdentity): string | undefined {
      // Phone first: every channel asks for a phone, while an ID number is given only now and then, so the
      // same person is recognised across a hotline call and a web report.
      const contact = identity.phone ?? identity.idNumber;
      if (!contact) return undefined;
      return createHmac("sha256", hashKey).update(normalizeContact(contact)).digest("hex");
    },
  };
}

export type IdentitySealer = ReturnType<typeof createIdentitySealer>;
