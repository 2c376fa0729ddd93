import { createStatementNames, isStalePreparedStatement } from "@clueline/kit";

/**
 * The least the Postgres router state needs from a database client. `pg.Pool`, `pg.Client` and
 * `@electric-sql/pglite`'s `PGlite` all satisfy `Queryable` as they are.
 */
export interface Queryable {
  query<T extends Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

/**
 * A `Queryable` that can run work on one connection between BEGIN and COMMIT (ROLLBACK on a throw).
 * `PGlite` satisfies it as it is; wrap a `pg.Pool` with `fromPgPool`.
 */
export interface Database extends Queryable {
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
}

/** A parameterised statement as `pg` takes it: one with a name is parsed and planned once per connection. */
export interface NamedStatement {
  name: string;
  text: string;
  values: unknown[];
}

/** A `pg` client or pool as this module uses it (kept structural so `pg` stays an implementation detail). */
export interface PgQueryable {
  query<T extends Record<string, unknown>>(statement: NamedStatement): Promise<{ rows: T[] }>;
  query<T extends Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

/** The shape of `pg.Pool` this module relies on. */
export interface PoolLike {
  connect(): Promise<PgQueryable & { release(destroy?: boolean | Error): void }>;
}

/**
 * Adapts a `pg.Pool` to `Database`: each transaction checks out one client. A client whose ROLLBACK failed is
 * destroyed rather than returned to the pool, since its session state is unknown. Statements with parameters are
 * prepared once per connection, named by a hash of their text: the batch statements' parse and plan were an eighth
 * of the router's database time (a `perf` profile of its backends under load).
 *
 * @example
 * const db = fromPgPool(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * const state = createPostgresRouterState({ db, schema: "router" });
 */
export function fromPgPool(pool: PoolLike): Database {
  const nameOf = createStatementNames("r");
  const run = <T extends Record<string, unknown>>(on: PgQueryable, text: string, params?: unknown[]) =>
    params && params.length > 0 ? on.query<T>({ name: nameOf(text), text, values: params }) : on.query<T>(text);
  return {
    // A client of its own, as pool.query would take, so that one whose prepared statement went stale (a migration
    // by a newer instance) is destroyed, not handed out again; the caller retries (isStalePreparedStatement).
    async query(text, params) {
      const client = await pool.connect();
      let stale: Error | undefined;
      try {
        return await run(client, text, params);
      } catch (error) {
        if (isStalePreparedStatement(error)) stale = error as Error;
        throw error;
      } finally {
        client.release(stale);
      }
    },
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      const tx: Queryable = { query: (text, params) => run(client, text, params) };
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const result = await work(tx);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch((rollbackError: unknown) => {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        });
        if (isStalePreparedStatement(error)) broken = error as Error;
        throw error;
      } finally {
        client.release(broken);
      }
    },
  };
}
