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

/** The shape of `pg.Pool` this module relies on (kept structural so `pg` stays an implementation detail). */
export interface PoolLike extends Queryable {
  connect(): Promise<Queryable & { release(destroy?: boolean | Error): void }>;
}

/**
 * Adapts a `pg.Pool` to `Database`: each transaction checks out one client. A client whose ROLLBACK failed is
 * destroyed rather than returned to the pool, since its session state is unknown.
 *
 * @example
 * const db = fromPgPool(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * const state = createPostgresRouterState({ db, schema: "router" });
 */
export function fromPgPool(pool: PoolLike): Database {
  return {
    query: (text, params) => pool.query(text, params),
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const result = await work(client);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch((rollbackError: unknown) => {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
  };
}
