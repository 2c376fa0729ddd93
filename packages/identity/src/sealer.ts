import { createCipheriv, createDecipheriv, createHmac, createSecretKey, type KeyObject } from "node:crypto";
import { createRandomPool, OriginalText, ReporterIdentity, type SealedIdentity } from "@clueline/contracts";
import type { KeyRing } from "./key-ring.js";

/** A sealed identity that cannot be opened: unknown key, tampered ciphertext, or another record's seal (GCM tag mismatch). */
export class IdentityUnreadable extends Error {
  override readonly name = "IdentityUnreadable";
}

/** The record a seal belongs to: its complaint's id is authenticated with the ciphertext. */
export interface SealContext {
  complaintId: string;
}

/** GCM's full 128-bit tag: a shorter one would be accepted by Node unless told, and each byte cut makes forgery 256 times easier. */
const TAG_BYTES = 16;

/** What a blob holds: the reporter's identity, or the original of scrubbed free text. Part of the additional data. */
type Purpose = "identity" | "original";

/**
 * GCM additional data. v2: key id, purpose and complaint id (the key id has no colon and the complaint id comes
 * last, so no two contexts share one string). Blobs without `v` predate it and carry the key id alone.
 */
function additionalData(sealed: Pick<SealedIdentity, "keyId" | "v">, purpose: Purpose, context: SealContext): Buffer {
  return Buffer.from(sealed.v === 2 ? `v2:${sealed.keyId}:${purpose}:${context.complaintId}` : sealed.keyId);
}

/** Digits and letters only, upper-cased, with China's +86 country code dropped: "+86 138-0013-8000" → "13800138000". */
export function normalizeContact(value: string): string {
  const compact = value.replace(/[^0-9a-z]/gi, "").toUpperCase();
  return compact.length === 13 && compact.startsWith("86") ? compact.slice(2) : compact;
}

/**
 * Seals reporter identity (and the original of scrubbed free text) with AES-256-GCM, bound to the complaint it
 * belongs to, and derives the keyed merge hash (HMAC-SHA-256 of the normalized phone, else ID number), so the
 * router can merge complaints without ever decrypting.
 *
 * @example
 * const sealer = createIdentitySealer(ring);
 * const sealed = sealer.seal({ name: "张三", phone: "13800138000" }, { complaintId });
 * sealer.open(sealed, { complaintId }).name; // "张三"
 */
export function createIdentitySealer(ring: KeyRing) {
  if (!ring.keys[ring.activeKeyId]) throw new RangeError(`active identity key ${ring.activeKeyId} is not in the key ring`);
  // Imported once: a raw Buffer key is imported again on every createCipheriv / createHmac call.
  const activeKey = createSecretKey(ring.keys[ring.activeKeyId] as Buffer);
  const hashKey: KeyObject = createSecretKey(ring.hashKey);
  // 512 IVs a refill of the CSPRNG pool instead of one randomBytes call each.
  const ivs = createRandomPool(12 * 512);

  function sealJson(value: unknown, purpose: Purpose, context: SealContext): SealedIdentity {
    // 96-bit random IVs: with one key, collisions stay negligible well past billions of records.
    const iv = ivs.take(12);
    const cipher = createCipheriv("aes-256-gcm", activeKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData({ keyId: ring.activeKeyId, v: 2 }, purpose, context));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
    return {
      alg: "A256GCM",
      keyId: ring.activeKeyId,
      iv: iv.toString("base64"),
      tag: cipher.getAuthTag().toString("base64"),
      ciphertext: ciphertext.toString("base64"),
      v: 2,
    };
  }

  function openJson(sealed: SealedIdentity, purpose: Purpose, context: SealContext): unknown {
    const key = ring.keys[sealed.keyId];
    if (!key) throw new IdentityUnreadable(`identity sealed with unknown key ${sealed.keyId}`);
    const tag = Buffer.from(sealed.tag, "base64");
    if (tag.length !== TAG_BYTES) throw new IdentityUnreadable(`seal's tag is ${tag.length} bytes, not ${TAG_BYTES}`);
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(sealed.iv, "base64"), { authTagLength: TAG_BYTES });
      decipher.setAAD(additionalData(sealed, purpose, context));
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, "base64")), decipher.final()]);
      return JSON.parse(plain.toString("utf8"));
    } catch (cause) {
      throw new IdentityUnreadable("sealed identity failed authentication", { cause });
    }
  }

  return {
    seal(identity: ReporterIdentity, context: SealContext): SealedIdentity {
      return sealJson(identity, "identity", context);
    },
    /** Opens a seal of this complaint; one moved from another complaint fails like a tampered one. */
    open(sealed: SealedIdentity, context: SealContext): ReporterIdentity {
      const parsed = ReporterIdentity.safeParse(openJson(sealed, "identity", context));
      if (!parsed.success) throw new IdentityUnreadable("sealed identity is not an identity");
      return parsed.data;
    },
    /** Seals the original of free-text fields that scrubbing changed, bound to the complaint like the identity. */
    sealOriginal(original: OriginalText, context: SealContext): SealedIdentity {
      return sealJson(original, "original", context);
    },
    openOriginal(sealed: SealedIdentity, context: SealContext): OriginalText {
      const parsed = OriginalText.safeParse(openJson(sealed, "original", context));
      if (!parsed.success) throw new IdentityUnreadable("sealed original is not free text");
      return parsed.data;
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
