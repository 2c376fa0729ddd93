import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createPgDatabase } from "./pg-database.js";
import { schemaWalSince, walPosition } from "./schema-wal.js";

const url = process.env.DATABASE_URL;

describe.runIf(url)("the WAL of one schema (PostgreSQL)", () => {
  it("counts the records written on the schema's relations and none of another schema's", async () => {
    const open = (schema: string) =>
      createPgDatabase({ url: url as string, applicationName: "clueline-db-test", statementPrefix: "w", schema, poolSize: 1 });
    const [mine, other] = [`wal_test_${randomBytes(5).toString("hex")}`, `wal_test_${randomBytes(5).toString("hex")}`];
    const db = await open(mine);
    const elsewhere = await open(other);
    try {
      for (const [handle, schema] of [
        [db, mine],
        [elsewhere, other],
      ] as const) {
        await handle.query(`create schema if not exists ${schema}`);
        await handle.query(`create table ${schema}.t (id int primary key, body text)`);
      }
      const from = await walPosition(db);
      await db.query(`insert into ${mine}.t select n, repeat('x', 100) from generate_series(1, 50) as n`);
      await elsewhere.query(`insert into ${other}.t select n, repeat('y', 100) from generate_series(1, 500) as n`);

      const byRelation = await schemaWalSince(db, { schema: mine, from });
      expect(byRelation.map((r) => r.relation).sort()).toEqual(["t", "t_pkey"]);
      const table = byRelation.find((r) => r.relation === "t");
      // One heap insert record per row, at least the row's bytes each; the other schema's 500 rows are not here.
      expect(table?.records).toBe(50);
      expect(table?.bytes).toBeGreaterThan(50 * 100);
      expect(table?.bytes).toBeLessThan(500 * 100);
    } finally {
      await db.query(`drop schema ${mine} cascade`);
      await elsewhere.query(`drop schema ${other} cascade`);
      await db.close();
      await elsewhere.close();
    }
  });
});
