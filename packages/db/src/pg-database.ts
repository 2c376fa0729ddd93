import { RetryableOutage } from "@clueline/contracts/errors";
import pg from "pg";
import type { Database, QueryResult, Row, Transaction } from "./database.js";
import { quoteSchema } from "./database.js";
import { classifyDatabaseError, isDatabaseOutage, sqlStateOf } from "./database-errors.js";
import { createStatementNames } from "./statement-names.js";

/**
 * Connecting failed: an outage unless the server answered with a SQLSTATE that says otherwise (a wrong password,
 * a missing database). pg's pool reports its own connect timeout with no code at all.
 */
const connectError = (error: unknown) =>
  sqlStateOf(error) === undefined || isDatabaseOutage(error) ? new RetryableOutage("database", { cause: error }) : error;

/**
 * After an outage a connection is suspect (its server went away, or a prepared statement went stale), except after
 * a transaction conflict, which PostgreSQL reports on a healthy connection: such a connection is destroyed.
 */
const spoils = (error: unknown) =>
  error instanceof RetryableOutage &&
  error.dependency === "database" &&
  !["40001", "40P01"].includes(sqlStateOf(error.cause) ?? "");

/**
 * PostgreSQL through a `pg` pool. `schema`, when given, is created if missing and put first on every connection's
 * search path, so tests (and several services on one server) never see each other's tables.
 *
 * @example
 * const db = await createPgDatabase({ url: "postgres://postgres@127.0.0.1:5432/test", applicationName: "clueline-closure" });
 */
export async function createPgDatabase(options: {
  url: string;
  /** Names the service's backends in pg_stat_activity (a name in the URL wins). */
  applicationName: string;
  schema?: string | undefined;
  poolSize?: number | undefined;
  /** How long an idle connection stays open (0: for ever, keeping the statements it prepared); pg's 10 s by default. */
  idleTimeoutMillis?: number | undefined;
  /** Starts every prepared statement's name, to tell services apart in pg_prepared_statements. */
  statementPrefix?: string | undefined;
}): Promise<Database> {
  const schema = options.schema === undefined ? undefined : quoteSchema(options.schema);
  if (schema) {
    const setup = new pg.Client({ connectionString: options.url });
    await setup.connect().catch((error: unknown) => Promise.reject(connectError(error)));
    try {
      await setup.query(`create schema if not exists ${schema}`);
    } finally {
      await setup.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    application_name: options.applicationName,
    max: options.poolSize ?? 10,
    ...(options.idleTimeoutMillis === undefined ? {} : { idleTimeoutMillis: options.idleTimeoutMillis }),
    // A service that cannot get a connection in 5 s is down for its callers: they get 503 / a retry.
    connectionTimeoutMillis: 5_000,
    // No JIT: the services' statements are short, and one whose estimate crosses jit_above_cost spends tens of
    // milliseconds compiling (auto_explain of the router's batch read under load: 20 ms for 0.2 ms of work).
    options: `-c jit=off${schema ? ` -c search_path=${schema}` : ""}`,
  });
  // An idle client losing its server must not crash the process; the next query reports the outage.
  pool.on("error", () => undefined);
  // pg fails the statements of a connection that died with errors of no SQLSTATE; the client's own events say so.
  const lost = new WeakSet<pg.PoolClient>();
  pool.on("connect", (client) => {
    client.on("error", () => lost.add(client));
    client.on("end", () => lost.add(client));
  });
  const connect = () => pool.connect().catch((error: unknown) => Promise.reject(connectError(error)));
  const statementName = createStatementNames(options.statementPrefix ?? "s");

  const run = async <R extends Row>(client: pg.PoolClient, sql: string, params?: readonly unknown[]) => {
    try {
      // Statements with parameters are prepared once per connection (named by their text's hash): planning them
      // again on every call costs more than executing most of the services' statements.
      const result =
        params && params.length > 0
          ? await client.query<R>({ name: statementName(sql), text: sql, values: params as unknown[] })
          : await client.query<R>(sql);
      return { rows: result.rows, rowCount: result.rowCount ?? 0 } satisfies QueryResult<R>;
    } catch (error) {
      throw lost.has(client) ? new RetryableOutage("database", { cause: error }) : classifyDatabaseError(error);
    }
  };

  return {
    engine: "postgres",
    // A client of its own, as pool.query would take, so that a suspect one is destroyed.
    async query(sql, params) {
      const client = await connect();
      let broken = false;
      try {
        return await run(client, sql, params);
      } catch (error) {
        broken = spoils(error);
        throw error;
      } finally {
        client.release(broken);
      }
    },
    async transaction(work) {
      const client = await connect();
      const tx: Transaction = {
        query: (sql, params) => run(client, sql, params),
        // Without parameters pg sends the simple protocol, which takes several statements at once.
        exec: async (script) => void (await run(client, script)),
      };
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
        if (spoils(error)) broken = true;
        throw error;
      } finally {
        // A client whose rollback failed may be mid-transaction, one whose prepared statement went stale would fail
        // the same way again, one whose server went away serves nothing: destroy it rather than hand it out again.
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
