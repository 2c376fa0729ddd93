import { randomBytes } from "node:crypto";
import { readMigrations } from "@clueline/db";
import { describe, expect, it } from "vitest";
import { migrateRouterSchema, sqlDatabases } from "../testing/router-state-backends.js";
import { routerMigrations } from "./open-router-database.js";

const databases = await sqlDatabases(process.env.DATABASE_URL);
const migrations = await readMigrations(routerMigrations);
const latest = migrations.length;

describe.each(databases)("the router's migrations on $name", ({ connect }) => {
  it("bring a schema at every earlier version to the latest", async () => {
    const db = await connect();
    const schemas: string[] = [];
    try {
      for (let version = 0; version < latest; version++) {
        const schema = `router_migrations_${randomBytes(6).toString("hex")}`;
        schemas.push(schema);
        expect(await migrateRouterSchema({ db, schema, upTo: version })).toEqual(
          migrations.slice(0, version).map((m) => m.version),
        );
        expect(await migrateRouterSchema({ db, schema }), `from version ${version}`).toEqual(
          migrations.slice(version).map((m) => m.version),
        );
        const { rows } = await db.query(`SELECT max(version)::int AS version FROM "${schema}".schema_migrations`);
        expect(rows).toEqual([{ version: latest }]);
      }
    } finally {
      for (const schema of schemas) await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await db.close();
    }
  });

  it("take a schema that the runner before packages/db migrated to version 3 as up to date", async () => {
    const db = await connect();
    const schema = `router_migrations_${randomBytes(6).toString("hex")}`;
    try {
      // The tables of versions 1 to 3, then that runner's bookkeeping exactly as it wrote it: no names.
      await db.transaction(async (tx) => {
        await tx.exec(`CREATE SCHEMA "${schema}"; SET LOCAL search_path TO "${schema}"`);
        for (const migration of migrations.slice(0, 3)) await tx.exec(migration.sql);
        await tx.exec(`CREATE TABLE IF NOT EXISTS "${schema}".schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
          INSERT INTO "${schema}".schema_migrations (version) VALUES (1), (2), (3);`);
      });
      expect(await migrateRouterSchema({ db, schema, upTo: 3 })).toEqual([]);
      expect(await migrateRouterSchema({ db, schema })).toEqual(migrations.slice(3).map((m) => m.version));
    } finally {
      await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await db.close();
    }
  });
});
