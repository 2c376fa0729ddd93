import { hashReceiptCode } from "@clueline/identity";
import { decodeTime } from "ulid";
import { describe, expect, it } from "vitest";
import { complaintIdFor } from "./complaint-id.js";
import { canonicalJson, fingerprintOf } from "./idempotency.js";
import { createReceiptCodes } from "./receipt-code.js";

const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
const now = new Date("2024-05-06T01:30:00Z");

describe("complaint ids", () => {
  it("are fresh ULIDs without a key", () => {
    const a = complaintIdFor({ subject: "op", idempotencyKey: undefined, now });
    expect(a).toMatch(ULID);
    expect(decodeTime(a)).toBe(now.getTime());
    expect(complaintIdFor({ subject: "op", idempotencyKey: undefined, now })).not.toBe(a);
  });

  it("are a function of caller, key and batch index with a key, in ULID shape", () => {
    const id = complaintIdFor({ subject: "op", idempotencyKey: "k", now });
    expect(id).toMatch(ULID);
    expect(complaintIdFor({ subject: "op", idempotencyKey: "k", now: new Date() })).toBe(id);
    expect(complaintIdFor({ subject: "op2", idempotencyKey: "k", now })).not.toBe(id);
    expect(complaintIdFor({ subject: "op", idempotencyKey: "k", index: 0, now })).not.toBe(id);
    const ids = new Set(Array.from({ length: 1000 }, (_, n) => complaintIdFor({ subject: "op", idempotencyKey: `k${n}`, now })));
    expect([...ids].every((value) => ULID.test(value))).toBe(true);
    expect(ids.size).toBe(1000);
  });
});

describe("receipt codes", () => {
  it("are random without a key and stable under a key, unguessable without the secret", () => {
    const codes = createReceiptCodes({ secret: Buffer.alloc(32, 1) });
    const scope = { subject: "intake-web", idempotencyKey: "k" };
    const keyed = codes.issue(scope);
    expect(keyed).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){4}[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(codes.issue(scope)).toBe(keyed);
    expect(createReceiptCodes({ secret: Buffer.alloc(32, 2) }).issue(scope)).not.toBe(keyed);
    const random = codes.issue({ subject: "intake-web", idempotencyKey: undefined });
    expect(hashReceiptCode(random)).not.toBe(hashReceiptCode(codes.issue({ subject: "intake-web", idempotencyKey: undefined })));
  });
});

describe("fingerprints", () => {
  it("ignore key order and undefined fields but not values or the operation", () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: undefined, z: null }] })).toBe('{"a":[{"y":2,"z":null}],"b":1}');
    expect(fingerprintOf("post", { a: 1, b: 2 })).toBe(fingerprintOf("post", { b: 2, a: 1 }));
    expect(fingerprintOf("post", { a: 1 })).not.toBe(fingerprintOf("post", { a: 2 }));
    expect(fingerprintOf("post", { a: 1 })).not.toBe(fingerprintOf("batch", { a: 1 }));
  });
});
