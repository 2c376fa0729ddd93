import type { Database } from "./database.js";
import { migrate } from "./migrations/migrate.js";
import { readMigrations } from "./migrations/read-migrations.js";
import { createPgDatabase } from "./pg-database.js";
import { createPgliteDatabase } from "./pglite-database.js";

/**
 * PostgreSQL when `url` is given, else embedded PGlite (in `pgliteDataDir`, or in memory); migrated from the
 * service's `migrations` folder before it is returned, so nothing ever runs on an old schema.
 *
 * @example
 * const db = await openDatabase({
 *   url: config.DATABASE_URL,
 *   pgliteDataDir: config.PGLITE_DATA_DIR,
 *   applicationName: "clueline-closure",
 *   migrations: new URL("../../migrations/", import.meta.url),
 * });
 */
export async function openDatabase(options: {
  url?: string | undefined;
  /** PGlite's data directory, or `memory://` (the default); used only without `url`. */
  pgliteDataDir?: string | undefined;
  /** Where the service's tables live; first on the connections' search path. */
  schema?: string | undefined;
  migrations: URL;
  applicationName: string;
  statementPrefix?: string | undefined;
  poolSize?: number | undefined;
  idleTimeoutMillis?: number | undefined;
}): Promise<Database> {
  const migrations = await readMigrations(options.migrations);
  const db = options.url
    ? await createPgDatabase({ ...options, url: options.url })
    : await createPgliteDatabase({ dataDir: options.pgliteDataDir, schema: options.schema });
  try {
    await migrate({ db, migrations, schema: options.schema });
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
