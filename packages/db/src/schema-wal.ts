import type { Queryable } from "./database.js";

/** The WAL one schema's relations got, by relation: records and bytes (full-page images included). */
export interface RelationWal {
  relation: string;
  records: number;
  bytes: number;
}

/**
 * Where the server's WAL stands; give it to {@link schemaWalSince} after the work to measure. Creates
 * `pg_walinspect` (PostgreSQL 15+) in `public` first if the database lacks it, which needs a superuser.
 */
export async function walPosition(db: Queryable): Promise<string> {
  await db.query("create extension if not exists pg_walinspect schema public");
  const { rows } = await db.query<{ lsn: string }>("select pg_current_wal_lsn()::text as lsn");
  return rows[0]?.lsn as string;
}

/**
 * The WAL records written since `from` on the tables, indexes, sequences and TOAST of `schema`, by relation,
 * largest first: other databases and schemas writing at the same time do not count, nor do commit records (they
 * name no relation). Benches use it to say what a unit of work costs in WAL on a shared server.
 *
 * @example
 * const from = await walPosition(db);
 * await work();
 * const byRelation = await schemaWalSince(db, { schema: "bench_x", from });
 */
export async function schemaWalSince(db: Queryable, options: { schema: string; from: string }): Promise<RelationWal[]> {
  const { rows } = await db.query<{ relation: string; records: number; bytes: string }>(
    `with ours as (
       select c.relfilenode, c.relname::text as relation from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = $2
       union all
       select t.relfilenode, c.relname || ' (toast)' from pg_class c join pg_namespace n on n.oid = c.relnamespace
         join pg_class t on t.oid = c.reltoastrelid where n.nspname = $2),
     records as (
       select (regexp_match(block_ref, 'rel \\d+/\\d+/(\\d+)'))[1]::oid as node, record_length
       from public.pg_get_wal_records_info($1::pg_lsn, pg_current_wal_lsn()) where block_ref is not null)
     select o.relation, count(*)::int as records, sum(r.record_length)::text as bytes
     from records r join ours o on o.relfilenode = r.node group by o.relation order by sum(r.record_length) desc`,
    [options.from, options.schema],
  );
  return rows.map((row) => ({ relation: row.relation, records: Number(row.records), bytes: Number(row.bytes) }));
}
