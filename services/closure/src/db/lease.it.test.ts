import type { Database } from "@clueline/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type TestDatabase, testDatabaseEngines } from "../testing/test-databases.js";
import { createLease } from "./lease.js";

const ttlMs = 15_000;
const start = new Date("2026-03-02T02:00:00Z").getTime();

describe.each(testDatabaseEngines())("a lease on $engine", ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  let now: number;
  const leaseOf = (holder: string) => createLease({ db, name: "relay", holder, ttlMs, clock: () => new Date(now) });
  /** The lease's row as stored, with its row version: a renewal writes a new one, a read does not. */
  const row = async () =>
    (
      await db.query<{ holder: string; expires: string; version: string }>(
        "select holder, extract(epoch from expires_at) * 1000 as expires, xmin::text as version from leases where name = 'relay'",
      )
    ).rows.map((r) => ({ holder: r.holder, expiresAt: Number(r.expires), version: r.version }))[0];

  beforeEach(async () => {
    handle = await open();
    db = handle.db;
    now = start;
  });
  afterEach(() => handle.drop());

  it("is renewed only once half its ttl has gone; until then a turn writes nothing", async () => {
    const first = leaseOf("first");
    expect(await first.acquire()).toBe(true);
    const taken = await row();
    expect(taken).toMatchObject({ holder: "first", expiresAt: start + ttlMs });
    now = start + ttlMs / 2 - 1;
    expect(await first.acquire()).toBe(true);
    expect(await row()).toEqual(taken);
    now = start + ttlMs / 2;
    expect(await first.acquire()).toBe(true);
    const renewed = await row();
    expect(renewed).toMatchObject({ holder: "first", expiresAt: now + ttlMs });
    expect(renewed?.version).not.toBe(taken?.version);
  });

  it("is not taken by another holder while live, and is once expired; the old holder then fails", async () => {
    const first = leaseOf("first");
    const second = leaseOf("second");
    expect(await first.acquire()).toBe(true);
    now = start + ttlMs - 1;
    expect(await second.acquire()).toBe(false);
    expect((await row())?.holder).toBe("first");
    now = start + ttlMs + 1;
    expect(await second.acquire()).toBe(true);
    expect(await first.acquire()).toBe(false);
    expect((await row())?.holder).toBe("second");
  });

  it("fails on the next turn when lost while more than half its ttl is left", async () => {
    const first = leaseOf("first");
    expect(await first.acquire()).toBe(true);
    // Taken behind its back (an operator, or another process whose clock runs far ahead).
    await db.query("update leases set holder = 'second' where name = 'relay'");
    now = start + 1;
    expect(await first.acquire()).toBe(false);
    expect((await row())?.holder).toBe("second");
  });

  it("is taken again by its holder once gone, and at once by another after a release", async () => {
    const first = leaseOf("first");
    expect(await first.acquire()).toBe(true);
    await db.query("delete from leases");
    now = start + 1;
    expect(await first.acquire()).toBe(true);
    expect(await row()).toMatchObject({ holder: "first", expiresAt: now + ttlMs });
    await first.release();
    expect(await leaseOf("second").acquire()).toBe(true);
    expect((await row())?.holder).toBe("second");
  });
});
