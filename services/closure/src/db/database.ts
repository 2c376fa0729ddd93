/**
 * The one seam between the ledger and its database: PostgreSQL through `pg` in production, embedded PGlite
 * when no server is configured. Both speak the same SQL; everything above this file is written once.
 */

/** Rows as the driver returns them; callers map columns explicitly (pg gives int8 as text, PGlite as number). */
export type Row = Record<string, unknown>;

export interface QueryResult<R extends Row = Row> {
  rows: R[];
  rowCount: number;
}

/** Something to run a statement on: the database itself, or an open transaction. */
export interface Queryable {
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

export interface Database extends Queryable {
  /** Which engine, for logs and for the few places where the engines' behaviour differs. */
  readonly engine: "postgres" | "pglite";
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
