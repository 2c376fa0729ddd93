/**
 * The one seam between a service and its database: PostgreSQL through `pg` in production, embedded PGlite when no
 * server is configured. Both speak the same SQL, so everything above this file is written once.
 */

/** Rows as the driver returns them; callers parse columns explicitly (pg gives int8 as text, PGlite as number). */
export type Row = Record<string, unknown>;

export interface QueryResult<R extends Row = Row> {
  rows: R[];
  rowCount: number;
}

/** Something to run a statement on: the database itself, or an open transaction. */
export interface Queryable {
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

/** An open transaction; `exec` runs a script of several statements (a migration file) without parameters. */
export interface Transaction extends Queryable {
  exec(script: string): Promise<void>;
}

export interface Database extends Queryable {
  /** Which engine, for logs and for the few places where the engines' behaviour differs. */
  readonly engine: "postgres" | "pglite";
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The spelling of "no data directory": PGlite keeps the database in memory and nothing survives a restart. */
export const IN_MEMORY = "memory://";

/**
 * A schema name safe to splice into SQL: lower-case identifiers only, returned quoted.
 *
 * @example
 * quoteSchema("router_test_1"); // '"router_test_1"'
 */
export function quoteSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new RangeError(`schema name "${schema}" must match [a-z_][a-z0-9_]{0,62}`);
  return `"${schema}"`;
}
