import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "../database.js";
import { createPgDatabase } from "../pg-database.js";
import { createPgliteDatabase } from "../pglite-database.js";
import { MigrationAhead, migrate } from "./migrate.js";
import type { Migration } from "./read-migrations.js";

const url = process.env.DATABASE_URL;
const openPostgres = (schema?: string) =>
  createPgDatabase({ url: url as string, applicationName: "clueline-db-test", poolSize: 4, schema });
/** Each test's own database: a fresh PGlite, or a pool on PostgreSQL whose test schemas are dropped afterwards. */
const engines: Array<{ engine: string; open: () => Promise<Database> }> = [
  { engine: "pglite", open: () => createPgliteDatabase() },
];
if (url) engines.push({ engine: "postgres", open: () => openPostgres() });

/** Three files as a service would write them: several statements each, a trigger function with a `$$` body. */
const migrations: Migration[] = [
  {
    version: 1,
    name: "things",
    sql: `-- a comment; with a semicolon
create table things (id int primary key, label text not null);
create table applied_log (version int not null);
insert into applied_log values (1);`,
  },
  {
    version: 2,
    name: "thing_counts",
    sql: `create table thing_count (n int not null);
insert into thing_count values (0);
create function count_things() returns trigger language plpgsql set search_path from current as $$
begin
  update thing_count set n = n + (select count(*) from inserted);
  return null;
end $$;
create trigger things_counted after insert on things referencing new table as inserted
  for each statement execute function count_things();
insert into applied_log values (2);`,
  },
  { version: 3, name: "labels_index", sql: "create index things_label on things (label); insert into applied_log values (3);" },
];

describe.each(engines)("migrate on $engine", ({ open }) => {
  const schemas: string[] = [];
  let db: Database | undefined;
  const schemaOf = () => {
    const schema = `db_test_${randomBytes(6).toString("hex")}`;
    schemas.push(schema);
    return schema;
  };
  afterEach(async () => {
    for (const schema of schemas.splice(0)) await db?.query(`drop schema if exists "${schema}" cascade`);
    await db?.close();
  });

  it("applies each file once, in order, into the schema it names, and records it", async () => {
    db = await open();
    const schema = schemaOf();
    expect(await migrate({ db, migrations: migrations.slice(0, 1), schema })).toEqual([1]);
    expect(await migrate({ db, migrations, schema })).toEqual([2, 3]);
    expect(await migrate({ db, migrations, schema })).toEqual([]);
    await db.query(`insert into "${schema}".things values (1, 'a'), (2, 'b')`);
    expect((await db.query(`select n from "${schema}".thing_count`)).rows).toEqual([{ n: 2 }]);
    const { rows } = await db.query(`select version, name from "${schema}".schema_migrations order by version`);
    expect(rows).toEqual([
      { version: 1, name: "things" },
      { version: 2, name: "thing_counts" },
      { version: 3, name: "labels_index" },
    ]);
  });

  it("refuses a database that a newer build migrated", async () => {
    db = await open();
    const schema = schemaOf();
    await migrate({ db, migrations, schema });
    const error = await migrate({ db, migrations: migrations.slice(0, 2), schema }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MigrationAhead);
    expect(error).toMatchObject({ databaseVersion: 3, codeVersion: 2 });
  });

  it("keeps the files before a failing one, and nothing of the failing one", async () => {
    db = await open();
    const schema = schemaOf();
    const broken = { version: 2, name: "broken", sql: "create table half (x int); select no_such_function();" };
    await expect(migrate({ db, migrations: [migrations[0] as Migration, broken], schema })).rejects.toThrow();
    const tables = await db.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = $1 order by 1",
      [schema],
    );
    expect(tables.rows.map((row) => row.table_name)).toEqual(["applied_log", "schema_migrations", "things"]);
    expect(await migrate({ db, migrations, schema })).toEqual([2, 3]);
  });

  it("takes the bookkeeping of the router's runner before this package (no names) as it is", async () => {
    db = await open();
    const schema = schemaOf();
    // What that runner left: the tables of versions 1 and 2, and a schema_migrations without a name column.
    await db.transaction(async (tx) => {
      await tx.exec(`create schema "${schema}"; set local search_path to "${schema}"`);
      for (const migration of migrations.slice(0, 2)) await tx.exec(migration.sql);
      await tx.exec(`create table schema_migrations (version int primary key, applied_at timestamptz not null default now());
        insert into schema_migrations (version) values (1), (2);`);
    });
    expect(await migrate({ db, migrations, schema })).toEqual([3]);
    const { rows } = await db.query(`select version, name from "${schema}".schema_migrations order by version`);
    expect(rows).toEqual([
      { version: 1, name: null },
      { version: 2, name: null },
      { version: 3, name: "labels_index" },
    ]);
  });
});

describe.skipIf(!url)("two runners starting together on PostgreSQL", () => {
  it("apply each file once between them", async () => {
    const schema = `db_test_${randomBytes(6).toString("hex")}`;
    const [one, two] = [await openPostgres(), await openPostgres()];
    try {
      // Each file sleeps inside its transaction, so the second runner is sure to find the lock taken.
      const slow = migrations.map((m) => ({ ...m, sql: `${m.sql}; select pg_sleep(0.2);` }));
      const [a, b] = await Promise.all([
        migrate({ db: one, migrations: slow, schema }),
        migrate({ db: two, migrations: slow, schema }),
      ]);
      expect([...a, ...b].sort()).toEqual([1, 2, 3]);
      const { rows } = await one.query(`select version, count(*)::int as n from "${schema}".applied_log group by 1 order by 1`);
      expect(rows).toEqual([
        { version: 1, n: 1 },
        { version: 2, n: 1 },
        { version: 3, n: 1 },
      ]);
    } finally {
      await one.query(`drop schema if exists "${schema}" cascade`);
      await Promise.all([one.close(), two.close()]);
    }
  });
});
