import { randomBytes } from "node:crypto";
import { RetryableOutage } from "@clueline/contracts/errors";
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "./database.js";
import { isStalePreparedStatement } from "./database-errors.js";
import { createPgDatabase } from "./pg-database.js";
import { createPgliteDatabase } from "./pglite-database.js";

const url = process.env.DATABASE_URL;
const openPostgres = (options: { schema?: string; poolSize?: number } = {}) =>
  createPgDatabase({ url: url as string, applicationName: "clueline-db-test", statementPrefix: "t", ...options });
const schemaName = () => `db_test_${randomBytes(6).toString("hex")}`;

const engines: Array<{ engine: string; open: () => Promise<{ db: Database; drop: () => Promise<void> }> }> = [
  {
    engine: "pglite",
    async open() {
      const db = await createPgliteDatabase({ schema: "mine" });
      return { db, drop: () => db.close() };
    },
  },
];
if (url)
  engines.push({
    engine: "postgres",
    async open() {
      const schema = schemaName();
      const db = await openPostgres({ schema, poolSize: 2 });
      return {
        db,
        async drop() {
          await db.query(`drop schema ${schema} cascade`);
          await db.close();
        },
      };
    },
  });

describe.each(engines)("a database on $engine", ({ open }) => {
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => drop?.());

  it("commits a transaction that resolves and rolls back one that throws, scripts included", async () => {
    const opened = await open();
    drop = opened.drop;
    const { db } = opened;
    await db.query("create table t (x int primary key)");
    await db.transaction(async (tx) => {
      await tx.query("insert into t values ($1)", [1]);
      await tx.exec("insert into t values (2); insert into t values (3);");
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.exec("insert into t values (4); insert into t values (5);");
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    const { rows, rowCount } = await db.query<{ x: number }>("select x from t order by x");
    expect(rows).toEqual([{ x: 1 }, { x: 2 }, { x: 3 }]);
    expect(rowCount).toBe(3);
    expect((await db.query("update t set x = x + 10 where x = $1", [1])).rowCount).toBe(1);
  });

  it("keeps its tables in its schema, and passes a statement's own error through", async () => {
    const opened = await open();
    drop = opened.drop;
    await opened.db.query("create table mine_only (x int)");
    const { rows } = await opened.db.query<{ schema: string }>(
      "select table_schema as schema from information_schema.tables where table_name = 'mine_only'",
    );
    expect(rows).toHaveLength(1);
    const error = await opened.db.query("insert into mine_only values ($1)", ["not a number"]).catch((caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(RetryableOutage);
    expect(error).toMatchObject({ code: "22P02" });
  });
});

describe.skipIf(!url)("prepared statements on PostgreSQL", () => {
  it("are prepared once per connection, and the connection whose plan a schema change made stale is dropped", async () => {
    const schema = schemaName();
    const db = await openPostgres({ schema, poolSize: 1 });
    try {
      await db.query("create table t (x int primary key)");
      await db.query("insert into t values (1)");
      const read = () => db.query("select * from t where x = $1", [1]);
      const readInTransaction = () => db.transaction((tx) => tx.query("select * from t where x = $1", [1]));
      expect((await readInTransaction()).rows).toEqual([{ x: 1 }]);
      expect((await read()).rows).toEqual([{ x: 1 }]);
      const prepared = await db.query<{ name: string }>("select name from pg_prepared_statements");
      expect(prepared.rows).toEqual([{ name: expect.stringMatching(/^t[0-9a-f]{20}$/) }]);
      await db.query("alter table t add column y int");
      const stale = await read().catch((error: unknown) => error);
      expect(stale).toBeInstanceOf(RetryableOutage);
      expect(isStalePreparedStatement(stale)).toBe(true);
      // The one connection was destroyed, so the pool's next is new and prepares the statement afresh.
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

describe.skipIf(!url)("a PostgreSQL that goes away", () => {
  it("makes the statements of a terminated backend a retryable outage, and the next connection works", async () => {
    const db = await openPostgres({ poolSize: 1 });
    const admin = await openPostgres({ poolSize: 1 });
    try {
      const { rows } = await db.query<{ pid: number }>("select pg_backend_pid() as pid");
      const waiting = db.query("select pg_sleep(5)").catch((error: unknown) => error);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await admin.query("select pg_terminate_backend($1)", [rows[0]?.pid]);
      expect(await waiting).toBeInstanceOf(RetryableOutage);
      expect((await db.query("select 1 as one")).rows).toEqual([{ one: 1 }]);
    } finally {
      await Promise.all([db.close(), admin.close()]);
    }
  });
});

describe("an unreachable PostgreSQL", () => {
  it("is a retryable outage, not a crash", async () => {
    const unreachable = { url: "postgres://postgres@127.0.0.1:1/none", applicationName: "clueline-db-test" };
    await expect(createPgDatabase({ ...unreachable, schema: "s" })).rejects.toBeInstanceOf(RetryableOutage);
    const db = await createPgDatabase(unreachable);
    await expect(db.query("select 1")).rejects.toBeInstanceOf(RetryableOutage);
    await db.close();
  });
});
