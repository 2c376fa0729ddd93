import type { Database } from "./database.js";
import { migrations as ledgerMigrations, type Migration } from "./migrations.js";

/** The database was migrated by a newer build than this one: running would write rows it does not understand. */
export class MigrationAhead extends Error {
  override readonly name = "MigrationAhead";
  readonly databaseVersion: number;
  readonly codeVersion: number;
  constructor(options: { databaseVersion: number; codeVersion: number }) {
    super(
      `the ledger is at migration ${options.databaseVersion} but this build knows only up to ${options.codeVersion}; deploy the newer build`,
    );
    this.databaseVersion = options.databaseVersion;
    this.codeVersion = options.codeVersion;
  }
}

/** Any 64-bit number shared by every closure process: only one of them migrates at a time. */
const MIGRATION_LOCK = 4_711_000_005;

/**
 * Applies the migrations the database lacks, in order, each in its own transaction, under an advisory lock so
 * that replicas starting together do not race. Returns the versions it applied.
 *
 * @example
 * await migrate(db); // on every start
 */
export async function migrate(db: Database, migrations: readonly Migration[] = ledgerMigrations): Promise<number[]> {
  const codeVersion = Math.max(0, ...migrations.map((m) => m.version));
  const applied: number[] = [];
  // One transaction per migration (a failed one leaves the earlier ones applied); the first also checks that
  // the database is not ahead of this build, even when there is nothing to apply.
  for (const migration of [undefined, ...[...migrations].sort((a, b) => a.version - b.version)]) {
    const done = await db.transaction(async (tx) => {
      await tx.query("select pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
      await tx.query(
        "create table if not exists schema_migrations (version int primary key, name text not null, applied_at timestamptz not null default now())",
      );
      const { rows } = await tx.query<{ version: number }>(
        "select coalesce(max(version), 0)::int as version from schema_migrations",
      );
      const current = rows[0]?.version ?? 0;
      if (current > codeVersion) throw new MigrationAhead({ databaseVersion: current, codeVersion });
      if (!migration || current >= migration.version) return false;
      for (const statement of migration.statements) await tx.query(statement);
      await tx.query("insert into schema_migrations (version, name) values ($1, $2)", [migration.version, migration.name]);
      return true;
    });
    if (migration && done) applied.push(migration.version);
  }
  return applied;
}
