export interface KeyRing {
  /** Key id → 32-byte key. Keep retired keys here as long as records sealed with them must stay readable. */
  keys: Record<string, Buffer>;
  /** The key new records are sealed with. */
  activeKeyId: string;
  /** Key for the merge hash; rotating it breaks merging across the change, so it rotates rarely. */
  hashKey: Buffer;
}

/**
 * Parses `IDENTITY_KEYS` = "k1:<base64 32 bytes>,k2:<…>" into a key map, refusing keys of the wrong size. A key id
 * never holds a colon (it ends at the first one), which keeps the seal's additional data unambiguous.
 */
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
