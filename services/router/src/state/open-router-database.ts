import { type Database, openDatabase } from "@clueline/db";

/**
 * The router's migrations, `services/router/migrations/NNN_name.sql`: found from this file, so the same path
 * serves `src/` under tsx and `dist/` under node, whatever the working directory.
 */
export const routerMigrations = new URL("../../migrations/", import.meta.url);

/**
 * The router's database, migrated: PostgreSQL when a URL is given, else embedded PGlite (a directory, or
 * `memory://`), with its tables in `schema`.
 *
 * @example
 * const db = await openRouterDatabase({ url: config.DATABASE_URL, dataDir: config.ROUTER_DATA_DIR, schema: "router" });
 */
export function openRouterDatabase(options: { url?: string | undefined; dataDir: string; schema: string }): Promise<Database> {
  return openDatabase({
    url: options.url,
    pgliteDataDir: options.dataDir,
    schema: options.schema,
    migrations: routerMigrations,
    applicationName: "clueline-router",
    statementPrefix: "r",
    // Idle connections stay open: each keeps the statements it prepared, and a new one costs a backend start.
    idleTimeoutMillis: 0,
  });
}
