import { describe, expect, it } from "vitest";
import { runOnce } from "./idempotency.js";
import { createIdempotencyStore } from "./idempotency-store.js";

describe("idempotency store", () => {
  it("replays the stored answer for the same fingerprint and refuses another", async () => {
    const store = createIdempotencyStore({ ttlMs: 1_000, maxEntries: 10 });
    const first = store.claim("op\u0000k1", "f1");
    expect(first.kind).toBe("fresh");
    if (first.kind === "fresh") first.settle({ complaintId: "c1" });
    const again = store.claim("op\u0000k1", "f1");
    expect(again.kind).toBe("replay");
    if (again.kind === "replay") expect(await again.answer).toEqual({ complaintId: "c1" });
    expect(store.claim("op\u0000k1", "f2").kind).toBe("conflict");
  });

  it("makes a concurrent repeat wait for the first answer, and shares its failure", async () => {
    const store = createIdempotencyStore({ ttlMs: 1_000, maxEntries: 10 });
    const first = store.claim("s", "f");
    const second = store.claim("s", "f");
    if (first.kind !== "fresh" || second.kind !== "replay") throw new Error("unexpected claims");
    first.release(new Error("broker down"));
    await expect(second.answer).rejects.toThrow("broker down");
    expect(store.claim("s", "f").kind).toBe("fresh");
  });

  it("forgets after the TTL and beyond its bound, oldest first", () => {
    let now = 0;
    const store = createIdempotencyStore({ ttlMs: 100, maxEntries: 3, now: () => now });
    for (const scope of ["a", "b", "c"]) {
      const claim = store.claim(scope, "f");
      if (claim.kind === "fresh") claim.settle(scope);
    }
    store.claim("d", "f");
    expect(store.size).toBe(3);
    expect(store.claim("a", "other").kind).toBe("fresh");
    now = 1_000;
    expect(store.claim("b", "other").kind).toBe("fresh");
    expect(store.size).toBe(1);
  });
});

describe("runOnce", () => {
  it("runs once per key, answers 409 for another body, and runs every time without a key", async () => {
    const store = createIdempotencyStore({ ttlMs: 1_000, maxEntries: 10 });
    let runs = 0;
    const run = async () => ++runs;
    const once = (key: string | undefined, fingerprint: string) =>
      runOnce({ store, subject: "op-1", key, fingerprint: () => fingerprint, run });
    expect(await once("k", "f")).toEqual({ value: 1, replayed: false });
    expect(await once("k", "f")).toEqual({ value: 1, replayed: true });
    await expect(once("k", "g")).rejects.toMatchObject({ status: 409, slug: "idempotency-key-reused" });
    expect((await runOnce({ store, subject: "op-2", key: "k", fingerprint: () => "g", run })).value).toBe(2);
    expect((await once(undefined, "f")).value).toBe(3);
    expect((await once(undefined, "f")).value).toBe(4);
  });

  it("releases the key when the request fails, so the retry runs", async () => {
    const store = createIdempotencyStore({ ttlMs: 1_000, maxEntries: 10 });
    const failing = runOnce({
      store,
      subject: "s",
      key: "k",
      fingerprint: () => "f",
      run: () => Promise.reject(new Error("down")),
    });
    await expect(failing).rejects.toThrow("down");
    expect(await runOnce({ store, subject: "s", key: "k", fingerprint: () => "f", run: async () => "ok" })).toEqual({
      value: "ok",
      replayed: false,
    });
  });
});
