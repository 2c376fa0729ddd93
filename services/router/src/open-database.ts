import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { type Database, fromPgPool } from "./state/index.js";

/** PostgreSQL when a URL is given, else embedded PGlite (a directory, or "memory://"). */
export async function openDatabase(options: {
  url?: string;
  dataDir: string;
}): Promise<{ db: Database; close: () => Promise<void> }> {
  if (options.url) {
    // Idle connections stay open: each keeps the statements it prepared, and a new one costs a backend start.
    // application_name names the router's backends in pg_stat_activity (a name in the URL wins). No JIT: a batch
    // read whose estimate crossed jit_above_cost spent 20 ms compiling for 0.2 ms of work (auto_explain under load).
    const pool = new pg.Pool({
      connectionString: options.url,
      application_name: "clueline-router",
      options: "-c jit=off",
      max: 10,
      idleTimeoutMillis: 0,
    });
    // An idle connection losing its server (a restart, a terminated backend) must not crash the process: the pool
    // drops it, and the next query that finds no server reports the outage.
    pool.on("error", () => undefined);
    return { db: fromPgPool(pool), close: () => pool.end() };
  }
  const lite = await PGlite.create(options.dataDir === "memory://" ? undefined : options.dataDir);
  return { db: lite as unknown as Database, close: () => lite.close() };
}
