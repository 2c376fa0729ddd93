import { createHash } from "node:crypto";

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
export interface PoolLike extends PgQueryable {
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
  const names = new Map<string, string>();
  const nameOf = (text: string): string => {
    let name = names.get(text);
    if (name === undefined) {
      name = `r${createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
      names.set(text, name);
    }
    return name;
  };
  const run = <T extends Record<string, unknown>>(on: PgQueryable, text: string, params?: unknown[]) =>
    params && params.length > 0 ? on.query<T>({ name: nameOf(text), text, values: params }) : on.query<T>(text);
  return {
    // Outside a transaction the pool picks the client and cannot be told to drop it, so nothing is prepared there.
    query: (text, params) => pool.query(text, params),
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
        // A statement this connection prepared no longer fits the schema (a migration by a newer instance), or the
        // server forgot it: a fresh connection prepares it again, and the caller retries (isStalePreparedStatement).
        if (isStalePreparedStatement(error)) broken = error as Error;
        throw error;
      } finally {
        client.release(broken);
      }
    },
  };
}

/**
 * PostgreSQL's refusal of a prepared statement that went stale: its result type changed under it (0A000, "cached
 * plan must not change result type") or the server no longer has it (26000). Retrying on a new connection fixes both.
 */
export function isStalePreparedStatement(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === "26000" || (code === "0A000" && typeof message === "string" && message.includes("cached plan"));
}
