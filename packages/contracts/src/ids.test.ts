import { decodeTime, isValid } from "ulid";
import { describe, expect, it } from "vitest";
import { createIdFactory, createRandomPool } from "./ids.js";

describe("createIdFactory", () => {
  it("makes valid, time-prefixed, distinct ULIDs across several refills of its random pool", () => {
    const newId = createIdFactory();
    const before = Date.now();
    const ids = Array.from({ length: 2_000 }, () => newId());
    expect(ids.every((id) => isValid(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(decodeTime(ids[0] as string)).toBeGreaterThanOrEqual(before);
    expect(decodeTime(ids.at(-1) as string)).toBeLessThanOrEqual(Date.now());
  });
});

describe("createRandomPool", () => {
  it("hands out copies that a refill leaves unchanged, and never the same bytes twice", () => {
    const pool = createRandomPool(24);
    const first = pool.take(12);
    const kept = Buffer.from(first);
    const rest = Array.from({ length: 50 }, () => pool.take(12)); // many refills of the 24-byte buffer
    expect(first.equals(kept)).toBe(true);
    expect(new Set([first, ...rest].map((bytes) => bytes.toString("hex"))).size).toBe(51);
  });
});
