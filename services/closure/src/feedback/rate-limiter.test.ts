import { describe, expect, it } from "vitest";
import { createRateLimiter } from "./rate-limiter.js";

describe("rate limiter", () => {
  it("allows `limit` per window per key, says when to retry, and starts afresh", () => {
    let now = new Date("2026-03-02T00:00:00Z");
    const limiter = createRateLimiter({ limit: 2, windowMs: 60_000, clock: () => now });
    expect(limiter.take("a").allowed).toBe(true);
    expect(limiter.take("a").allowed).toBe(true);
    now = new Date(now.getTime() + 15_000);
    expect(limiter.take("a")).toEqual({ allowed: false, retryAfterSeconds: 45 });
    expect(limiter.take("b").allowed).toBe(true);
    now = new Date(now.getTime() + 45_000);
    expect(limiter.take("a").allowed).toBe(true);
  });

  it("keeps memory bounded", () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, maxKeys: 3 });
    for (const key of ["a", "b", "c", "d"]) expect(limiter.take(key).allowed).toBe(true);
    expect(limiter.take("a").allowed).toBe(true); // "a" was evicted, so it starts a new window
  });
});
