import { randomBytes } from "node:crypto";
import { isStalePreparedStatement } from "@clueline/kit";
import { describe, expect, it } from "vitest";
import { fromPgPool } from "./database.js";

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
      // The same outside a transaction.
      const readAlone = () => db.query(`SELECT * FROM ${schema}.t WHERE x = $1`, [1]);
      expect((await readAlone()).rows).toEqual([{ x: 1, y: null }]);
      await db.query(`ALTER TABLE ${schema}.t ADD COLUMN z int`);
      expect(isStalePreparedStatement(await readAlone().catch((error: unknown) => error))).toBe(true);
      expect((await readAlone()).rows).toEqual([{ x: 1, y: null, z: null }]);
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
    }
  });
});
