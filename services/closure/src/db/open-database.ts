import type { Database } from "./database.js";
import { migrate } from "./migrate.js";
import { createPgDatabase } from "./pg-database.js";
import { createPgliteDatabase } from "./pglite-database.js";

/**
 * PostgreSQL when `url` is given, else embedded PGlite (in `pgliteDataDir`, or in memory); migrated before it
 * is returned, so nothing ever runs on an old schema.
 *
 * @example
 * const db = await openDatabase({ url: config.DATABASE_URL, pgliteDataDir: config.PGLITE_DATA_DIR });
 */
export async function openDatabase(options: {
  url?: string | undefined;
  schema?: string;
  poolSize?: number;
  pgliteDataDir?: string | undefined;
}): Promise<Database> {
  const db = options.url
    ? await createPgDatabase({
        url: options.url,
        ...(options.schema ? { schema: options.schema } : {}),
        ...(options.poolSize ? { poolSize: options.poolSize } : {}),
      })
    : await createPgliteDatabase({
        ...(options.pgliteDataDir ? { dataDir: options.pgliteDataDir } : {}),
        ...(options.schema ? { schema: options.schema } : {}),
      });
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
