import type { Database, Transaction } from "../database.js";
import { quoteSchema } from "../database.js";
import type { Migration } from "./read-migrations.js";

/** The database was migrated by a newer build than this one: running would write rows it does not understand. */
export class MigrationAhead extends Error {
  override readonly name = "MigrationAhead";
  readonly databaseVersion: number;
  readonly codeVersion: number;
  constructor(options: { databaseVersion: number; codeVersion: number }) {
    super(
      `the database is at migration ${options.databaseVersion} but this build knows only up to ${options.codeVersion}; deploy the newer build`,
    );
    this.databaseVersion = options.databaseVersion;
    this.codeVersion = options.codeVersion;
  }
}

/**
 * Takes the schema's migration lock (until the transaction ends) and points the transaction at the schema. The lock
 * is keyed by the schema's name, so two services in two schemas of one database migrate side by side.
 */
async function enter(tx: Transaction, schema: string | undefined): Promise<void> {
  await tx.query(
    "select pg_advisory_xact_lock(hashtextextended('clueline-migrate:' || coalesce($1::text, current_schema()), 0))",
    [schema ?? null],
  );
  if (schema === undefined) return;
  await tx.exec(`create schema if not exists ${quoteSchema(schema)}; set local search_path to ${quoteSchema(schema)}`);
}

const currentVersion = async (tx: Transaction) =>
  (await tx.query<{ version: number }>("select coalesce(max(version), 0)::int as version from schema_migrations")).rows[0]
    ?.version ?? 0;

/**
 * Applies the migrations the database lacks, in order, each in its own transaction (a failed one leaves the earlier
 * ones applied), under an advisory lock so that processes starting together migrate once; refuses a database that a
 * newer build migrated. `schema` (created if missing) is where the tables and the bookkeeping go, else the
 * connection's own search path. Returns the versions it applied.
 *
 * @example
 * await migrate({ db, migrations: await readMigrations(new URL("../migrations/", import.meta.url)) });
 */
export async function migrate(options: {
  db: Database;
  migrations: readonly Migration[];
  schema?: string | undefined;
}): Promise<number[]> {
  const { db, schema } = options;
  const migrations = [...options.migrations].sort((a, b) => a.version - b.version);
  const codeVersion = migrations.at(-1)?.version ?? 0;
  const current = await db.transaction(async (tx) => {
    await enter(tx, schema);
    await tx.query(
      "create table if not exists schema_migrations (version int primary key, name text not null, applied_at timestamptz not null default now())",
    );
    // The router's runner (before packages/db) kept no names; its table gains the column, its rows stay as they are.
    await tx.query("alter table schema_migrations add column if not exists name text");
    const version = await currentVersion(tx);
    if (version > codeVersion) throw new MigrationAhead({ databaseVersion: version, codeVersion });
    return version;
  });
  const applied: number[] = [];
  for (const migration of migrations.filter((m) => m.version > current)) {
    const done = await db.transaction(async (tx) => {
      await enter(tx, schema);
      // Another process may have applied it while this one waited for the lock.
      if ((await currentVersion(tx)) >= migration.version) return false;
      await tx.exec(migration.sql);
      await tx.query("insert into schema_migrations (version, name) values ($1, $2)", [migration.version, migration.name]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}
