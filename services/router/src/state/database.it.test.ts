import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fromPgPool, isStalePreparedStatement } from "./database.js";

describe("isStalePreparedStatement", () => {
  it("knows PostgreSQL's refusals of a stale prepared statement, and nothing else", () => {
    expect(isStalePreparedStatement({ code: "26000", message: 'prepared statement "r1" does not exist' })).toBe(true);
    expect(isStalePreparedStatement({ code: "0A000", message: "cached plan must not change result type" })).toBe(true);
    expect(isStalePreparedStatement({ code: "0A000", message: "FOR UPDATE is not allowed with GROUP BY clause" })).toBe(false);
    expect(isStalePreparedStatement({ code: "23505", message: "duplicate key" })).toBe(false);
    expect(isStalePreparedStatement(undefined)).toBe(false);
  });
});

const databaseUrl = process.env.DATABASE_URL;
describe.skipIf(!databaseUrl)("fromPgPool on PostgreSQL", () => {
  it("prepares statements per connection, and after a schema change drops the connection whose plan went stale", async () => {
    const { default: pg } = await import("pg");
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    const db = fromPgPool(pool);
    const schema = `router_db_test_${randomBytes(6).toString("hex")}`;
    try {
      await db.query(`CREATE SCHEMA ${schema}`);
      await db.query(`CREATE TABLE ${schema}.t (x int PRIMARY KEY)`);
      await db.query(`INSERT INTO ${schema}.t VALUES (1)`);
      const read = () => db.transaction((tx) => tx.query(`SELECT * FROM ${schema}.t WHERE x = $1`, [1]));
      expect((await read()).rows).toEqual([{ x: 1 }]);
      const { rows } = await pool.query<{ n: string }>("SELECT count(*) AS n FROM pg_prepared_statements");
      expect(Number(rows[0]?.n)).toBe(1);
      await db.query(`ALTER TABLE ${schema}.t ADD COLUMN y int`);
      const stale = await read().catch((error: unknown) => error);
      expect(isStalePreparedStatement(stale)).toBe(true);
      // The one connection was destroyed, so the pool's next is new and prepares the statement afresh.
      expect((await read()).rows).toEqual([{ x: 1, y: null }]);
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
    }
  });
});
