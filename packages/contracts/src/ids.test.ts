import { decodeTime, isValid } from "ulid";
import { describe, expect, it } from "vitest";
import { createIdFactory } from "./ids.js";

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
