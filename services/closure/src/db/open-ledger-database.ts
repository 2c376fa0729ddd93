import { type Database, openDatabase } from "@clueline/db";

/**
 * The ledger's migrations, `services/closure/migrations/NNN_name.sql`: found from this file, so the same path
 * serves `src/` under tsx and `dist/` under node, whatever the working directory.
 */
export const ledgerMigrations = new URL("../../migrations/", import.meta.url);

/**
 * The ledger, migrated: PostgreSQL when `url` is given (its tables in `schema` when one is named), else embedded
 * PGlite in `pgliteDataDir` (or `memory://`, the default).
 *
 * @example
 * const db = await openLedgerDatabase({ url: config.DATABASE_URL, pgliteDataDir: config.PGLITE_DATA_DIR });
 */
export function openLedgerDatabase(options: {
  url?: string | undefined;
  schema?: string | undefined;
  poolSize?: number | undefined;
  pgliteDataDir?: string | undefined;
}): Promise<Database> {
  return openDatabase({ ...options, migrations: ledgerMigrations, applicationName: "clueline-closure", statementPrefix: "c" });
}
