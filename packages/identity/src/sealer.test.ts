import { createCipheriv, randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseKeys } from "./key-ring.js";
import { createReceiptCode, hashReceiptCode, receiptMatches } from "./receipt.js";
import { createIdentitySealer, IdentityUnreadable, normalizeContact } from "./sealer.js";

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const hashKey = randomBytes(32);
const reporter = { name: "张三", phone: "+86 138-0013-8000", idNumber: "11010519491231002X" };
const ctx = { complaintId: "01JD0000000000000000000001" };

describe("identity sealer", () => {
  it("seals so that neither name nor phone appears in the sealed form, and opens it back", () => {
    const sealer = createIdentitySealer({ keys: { k1 }, activeKeyId: "k1", hashKey });
    const sealed = sealer.seal(reporter, ctx);
    const text = JSON.stringify(sealed);
    expect(text).not.toContain("张三");
    expect(text).not.toContain("13800138000");
    expect(sealed.keyId).toBe("k1");
    expect(sealer.open(sealed, ctx)).toEqual(reporter);
  });

  it("never repeats an IV across pool refills, and every sealed record still opens", () => {
    const sealer = createIdentitySealer({ keys: { k1 }, activeKeyId: "k1", hashKey });
    const sealed = Array.from({ length: 2_000 }, () => sealer.seal(reporter, ctx)); // about four refills of the IV pool
    expect(new Set(sealed.map((record) => record.iv)).size).toBe(sealed.length);
    for (const index of [0, 511, 512, 1_999])
      expect(sealer.open(sealed[index] as (typeof sealed)[number], ctx)).toEqual(reporter);
  });

  it("rotates keys: new records use the active key, old ones stay readable", () => {
    const old = createIdentitySealer({ keys: { k1 }, activeKeyId: "k1", hashKey }).seal(reporter, ctx);
    const rotated = createIdentitySealer({ keys: { k1, k2 }, activeKeyId: "k2", hashKey });
    expect(rotated.seal(reporter, ctx).keyId).toBe("k2");
    expect(rotated.open(old, ctx).name).toBe("张三");
    const retired = createIdentitySealer({ keys: { k2 }, activeKeyId: "k2", hashKey });
    expect(() => retired.open(old, ctx)).toThrow(IdentityUnreadable);
  });

  it("refuses tampered ciphertext and a swapped key id", () => {
    const sealer = createIdentitySealer({ keys: { k1, k2 }, activeKeyId: "k1", hashKey });
    const sealed = sealer.seal(reporter, ctx);
    const flipped = Buffer.from(sealed.ciphertext, "base64");
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => sealer.open({ ...sealed, ciphertext: flipped.toString("base64") }, ctx)).toThrow(IdentityUnreadable);
    expect(() => sealer.open({ ...sealed, keyId: "k2" }, ctx)).toThrow(IdentityUnreadable);
  });

  it("refuses a truncated tag, which GCM would otherwise check only as far as it goes", () => {
    const sealer = createIdentitySealer({ keys: { k1 }, activeKeyId: "k1", hashKey });
    const sealed = sealer.seal(reporter, ctx);
    expect(Buffer.from(sealed.tag, "base64")).toHaveLength(16);
    for (const bytes of [4, 8, 12, 15]) {
      const tag = Buffer.from(sealed.tag, "base64").subarray(0, bytes).toString("base64");
      expect(() => sealer.open({ ...sealed, tag }, ctx)).toThrow(/tag is \d+ bytes, not 16/);
      expect(() => sealer.openOriginal({ ...sealed, tag }, ctx)).toThrow(IdentityUnreadable);
    }
  });

  it("binds a seal to its complaint: a blob moved to another complaint does not open", () => {
    const sealer = createIdentitySealer({ keys: { k1 }, activeKeyId: "k1", hashKey });
    const sealed = sealer.seal(reporter, ctx);
    expect(sealed.v).toBe(2);
    expect(() => sealer.open(sealed, { complaintId: "01JD0000000000000000000002" })).toThrow(IdentityUnreadable);
    expect(() => sealer.open({ ...sealed, v: undefined }, ctx)).toThrow(IdentityUnreadable);
    const original = sealer.sealOriginal({ summary: "请回电13800138000" }, ctx);
    expect(sealer.openOriginal(original, ctx)).toEqual({ summary: "请回电13800138000" });
    // Purposes do not mix: a sealed original put where the identity goes does not open as one.
    expect(() => sealer.open(original, ctx)).toThrow(IdentityUnreadable);
    expect(() => sealer.openOriginal(original, { complaintId: "other" })).toThrow(IdentityUnreadable);
  });

  it("still opens blobs sealed before the complaint binding (additional data: the key id alone)", () => {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", k1, iv);
    cipher.setAAD(Buffer.from("k1"));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(reporter), "utf8"), cipher.final()]);
    const old = {
      alg: "A256GCM" as const,
      keyId: "k1",
      iv: iv.toString("base64"),
      tag: cipher.getAuthTag().toString("base64"),
      ciphertext: ciphertext.toString("base64"),
    };
    const rotated = createIdentitySealer({ keys: { k1, k2 }, activeKeyId: "k2", hashKey });
    expect(rotated.open(old, ctx)).toEqual(reporter);
    expect(rotated.open(old, { complaintId: "any other" })).toEqual(reporter);
  });

  it("hashes the normalized contact so formatting does not defeat merging", () => {
    const sealer = createIdentitySealer({ keys: { k1 }, activeKeyId: "k1", hashKey });
    expect(normalizeContact("+86 138-0013-8000")).toBe("13800138000");
    expect(sealer.mergeHash({ name: "a", phone: "138 0013 8000" })).toBe(
      sealer.mergeHash({ name: "b", phone: "+8613800138000" }),
    );
    expect(sealer.mergeHash({ name: "a", idNumber: "11010519491231002x" })).toBe(
      sealer.mergeHash({ name: "a", idNumber: "11010519491231002X" }),
    );
    expect(sealer.mergeHash({ name: "a" })).toBeUndefined();
    const other = createIdentitySealer({ keys: { k1 }, activeKeyId: "k1", hashKey: randomBytes(32) });
    expect(other.mergeHash({ name: "a", phone: "13800138000" })).not.toBe(sealer.mergeHash({ name: "a", phone: "13800138000" }));
  });

  it("round-trips any identity (property)", () => {
    const sealer = createIdentitySealer({ keys: { k1 }, activeKeyId: "k1", hashKey });
    fc.assert(
      fc.property(
        fc.record({ name: fc.string({ minLength: 1, maxLength: 100 }), phone: fc.string({ minLength: 3, maxLength: 40 }) }),
        (identity) => {
          expect(sealer.open(sealer.seal(identity, ctx), ctx)).toEqual(identity);
        },
      ),
    );
  });

  it("parses key rings and refuses short keys", () => {
    expect(parseKeys(`k1:${k1.toString("base64")},k2:${k2.toString("base64")}`).k2?.equals(k2)).toBe(true);
    expect(() => parseKeys("k1:c2hvcnQ=")).toThrow(/32 bytes/);
  });
});

describe("receipt codes", () => {
  it("are long, unique and matched by hash regardless of case and dashes", () => {
    const codes = new Set(Array.from({ length: 1000 }, createReceiptCode));
    expect(codes.size).toBe(1000);
    const code = [...codes][0] as string;
    expect(code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){4}[0-9A-HJKMNP-TV-Z]{4}$/);
    const stored = hashReceiptCode(code);
    expect(receiptMatches(code.toLowerCase().replaceAll("-", ""), stored)).toBe(true);
    expect(receiptMatches(createReceiptCode(), stored)).toBe(false);
    expect(receiptMatches("", stored)).toBe(false);
  });
});
