import { createStatementNames, isStalePreparedStatement } from "@clueline/kit";
import pg from "pg";
import type { Database, Queryable, QueryResult, Row } from "./database.js";
import { classifyDatabaseError } from "./database-errors.js";

/**
 * PostgreSQL through a `pg` pool. `schema`, when given, is created if missing and put first on every
 * connection's search path, so tests (and several ledgers on one server) never see each other's tables.
 *
 * @example
 * const db = await createPgDatabase({ url: "postgres://postgres@127.0.0.1:5432/test", poolSize: 20 });
 */
export async function createPgDatabase(options: { url: string; schema?: string; poolSize?: number }): Promise<Database> {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new RangeError(`schema must match [a-z_][a-z0-9_]*`);
  if (schema) {
    const setup = new pg.Client({ connectionString: options.url });
    await setup.connect().catch((error: unknown) => Promise.reject(classifyDatabaseError(error)));
    try {
      await setup.query(`create schema if not exists ${schema}`);
    } finally {
      await setup.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    // Names the ledger's backends in pg_stat_activity (a name in the URL wins).
    application_name: "clueline-closure",
    max: options.poolSize ?? 10,
    // A ledger that cannot get a connection in 5 s is down for its callers: they get 503 / a retry.
    connectionTimeoutMillis: 5_000,
    // No JIT: the ledger's statements are short, and one whose estimate crosses jit_above_cost spends tens of
    // milliseconds compiling (auto_explain of the router's batch read under load: 20 ms for 0.2 ms of work).
    options: `-c jit=off${schema ? ` -c search_path=${schema}` : ""}`,
  });
  // An idle client losing its server must not crash the process; the next query reports the outage.
  pool.on("error", () => undefined);

  const statementName = createStatementNames("c");

  const run = async <R extends Row>(on: pg.Pool | pg.PoolClient, sql: string, params?: readonly unknown[]) => {
    try {
      // Statements with parameters are prepared once per connection (named by their text's hash): planning them
      // again on every call costs more than executing most of the ledger's statements.
      const result =
        params && params.length > 0
          ? await on.query<R>({ name: statementName(sql), text: sql, values: params as unknown[] })
          : await on.query<R>(sql);
      return { rows: result.rows, rowCount: result.rowCount ?? 0 } satisfies QueryResult<R>;
    } catch (error) {
      throw classifyDatabaseError(error);
    }
  };

  return {
    engine: "postgres",
    // A client of its own, as pool.query would take, so that one whose prepared statement went stale is destroyed.
    async query(sql, params) {
      const client = await pool.connect().catch((error: unknown) => Promise.reject(classifyDatabaseError(error)));
      let stale = false;
      try {
        return await run(client, sql, params);
      } catch (error) {
        stale = isStalePreparedStatement(error);
        throw error;
      } finally {
        client.release(stale);
      }
    },
    async transaction(work) {
      const client = await pool.connect().catch((error: unknown) => Promise.reject(classifyDatabaseError(error)));
      const tx: Queryable = { query: (sql, params) => run(client, sql, params) };
      let broken = false;
      try {
        await tx.query("begin");
        const result = await work(tx);
        await tx.query("commit");
        return result;
      } catch (error) {
        await client.query("rollback").catch(() => {
          broken = true;
        });
        if (isStalePreparedStatement(error)) broken = true;
        throw error;
      } finally {
        // A client whose rollback failed may be mid-transaction, one whose prepared statement went stale would fail
        // the same way again: destroy it rather than hand it out again.
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
