import { PGlite } from "@electric-sql/pglite";
import type { Database, Queryable, QueryResult, Row } from "./database.js";
import { classifyDatabaseError } from "./database-errors.js";

/**
 * Embedded PostgreSQL (PGlite, WebAssembly) so a newcomer needs no database server. `dataDir` persists the
 * ledger across restarts; without it the ledger lives in memory (tests). PGlite has one connection and runs
 * transactions one at a time, which is fine for a developer's machine and nothing more.
 *
 * @example
 * const db = await createPgliteDatabase({ dataDir: ".data/closure" });
 */
export async function createPgliteDatabase(options: { dataDir?: string; schema?: string } = {}): Promise<Database> {
  const lite = await PGlite.create(options.dataDir);
  if (options.schema) {
    if (!/^[a-z_][a-z0-9_]*$/.test(options.schema)) throw new RangeError("schema must match [a-z_][a-z0-9_]*");
    await lite.exec(`create schema if not exists ${options.schema}; set search_path = ${options.schema}`);
  }

  const run = async <R extends Row>(
    on: Pick<PGlite, "query">,
    sql: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<R>> => {
    try {
      const result = await on.query<R>(sql, params as unknown[] | undefined);
      return { rows: result.rows, rowCount: result.affectedRows || result.rows.length };
    } catch (error) {
      throw classifyDatabaseError(error);
    }
  };

  return {
    engine: "pglite",
    query: (sql, params) => run(lite, sql, params),
    transaction(work) {
      return lite.transaction((inner) => {
        const tx: Queryable = { query: (sql, params) => run(inner, sql, params) };
        return work(tx);
      });
    },
    close: () => lite.close(),
  };
}
