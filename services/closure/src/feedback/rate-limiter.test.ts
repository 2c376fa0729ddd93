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

  it("keeps memory bounded, dropping ended windows first and then the oldest", () => {
    let now = new Date("2026-03-02T00:00:00Z");
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, maxKeys: 3, clock: () => now });
    for (const key of ["a", "b", "c", "d"]) expect(limiter.take(key).allowed).toBe(true);
    expect(limiter.size).toBe(3);
    expect(limiter.take("a").allowed).toBe(true); // "a" was the oldest and evicted, so it starts a new window
    expect(limiter.take("d").allowed).toBe(false);
    now = new Date(now.getTime() + 60_000);
    limiter.take("e");
    expect(limiter.size).toBe(1); // every other window had ended
  });

  it("holds at most maxKeys under a flood of distinct addresses, and still limits the newest", () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, maxKeys: 1_000 });
    for (let n = 0; n < 100_000; n++) limiter.take(`op|2001:db8::${n.toString(16)}`);
    expect(limiter.size).toBe(1_000);
    expect(limiter.take(`op|2001:db8::${(99_999).toString(16)}`).allowed).toBe(false);
  });
});
