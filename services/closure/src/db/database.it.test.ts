import { RetryableOutage } from "@clueline/contracts/errors";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type TestDatabase, testDatabaseEngines } from "../testing/test-databases.js";
import type { Database } from "./database.js";
import { MigrationAhead, migrate } from "./migrate.js";
import { migrations } from "./migrations.js";
import { createPgDatabase } from "./pg-database.js";

describe.each(testDatabaseEngines())("database on $engine", ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  beforeEach(async () => {
    handle = await open();
    db = handle.db;
  });
  afterEach(() => handle.drop());

  it("migrates once, forward only, and refuses a database that is ahead of the build", async () => {
    expect(await migrate(db)).toEqual([]);
    const { rows } = await db.query<{ version: number }>("select version from schema_migrations order by version");
    const versions = migrations.map((m) => m.version);
    expect(rows.map((r) => r.version)).toEqual(versions);
    const next = Math.max(...versions) + 1;
    const later = { version: next, name: "later", statements: ["create table later_thing (x int)"] };
    expect(await migrate(db, [later])).toEqual([next]);
    await expect(migrate(db, [])).rejects.toBeInstanceOf(MigrationAhead);
  });

  it("commits a transaction that resolves and rolls back one that throws", async () => {
    await db.query("create table t (x int primary key)");
    await db.transaction(async (tx) => {
      await tx.query("insert into t values ($1)", [1]);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query("insert into t values ($1)", [2]);
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    const { rows, rowCount } = await db.query<{ x: number }>("select x from t");
    expect(rows).toEqual([{ x: 1 }]);
    expect(rowCount).toBe(1);
    expect((await db.query("update t set x = x + 10")).rowCount).toBe(1);
  });
});

describe.skipIf(!process.env.DATABASE_URL)("prepared statements on PostgreSQL", () => {
  it("drop the connection whose plan a schema change made stale, and the retry succeeds", async () => {
    const schema = `closure_stale_${Date.now().toString(36)}`;
    const db = await createPgDatabase({ url: process.env.DATABASE_URL as string, schema, poolSize: 1 });
    try {
      await db.query("create table t (x int primary key)");
      await db.query("insert into t values (1)");
      const read = () => db.query("select * from t where x = $1", [1]);
      const readInTransaction = () => db.transaction((tx) => tx.query("select * from t where x = $1", [1]));
      expect((await read()).rows).toEqual([{ x: 1 }]);
      await db.query("alter table t add column y int");
      const stale = await read().catch((error: unknown) => error);
      expect(stale).toBeInstanceOf(RetryableOutage);
      expect((await read()).rows).toEqual([{ x: 1, y: null }]);
      await db.query("alter table t add column z int");
      expect(await readInTransaction().catch((error: unknown) => error)).toBeInstanceOf(RetryableOutage);
      expect((await readInTransaction()).rows).toEqual([{ x: 1, y: null, z: null }]);
    } finally {
      await db.query(`drop schema ${schema} cascade`);
      await db.close();
    }
  });
});

describe.skipIf(!process.env.DATABASE_URL)("the ledger's connections", () => {
  it("are named clueline-closure in pg_stat_activity", async () => {
    const db = await createPgDatabase({ url: process.env.DATABASE_URL as string, poolSize: 1 });
    try {
      const { rows } = await db.query("select application_name from pg_stat_activity where pid = pg_backend_pid()");
      expect(rows).toEqual([{ application_name: "clueline-closure" }]);
    } finally {
      await db.close();
    }
  });
});

describe("an unreachable PostgreSQL", () => {
  it("is a retryable outage, not a crash", async () => {
    await expect(createPgDatabase({ url: "postgres://postgres@127.0.0.1:1/none", schema: "s" })).rejects.toBeInstanceOf(
      RetryableOutage,
    );
  });
});
