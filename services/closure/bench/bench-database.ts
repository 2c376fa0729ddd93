import type { Database } from "@clueline/db";
import pg from "pg";
import { ulid } from "ulid";
import { openLedgerDatabase } from "../src/db/open-ledger-database.js";

/**
 * A migrated ledger in a throwaway schema on the PostgreSQL of DATABASE_URL, or in memory on PGlite without it
 * (the targets are for PostgreSQL; PGlite's numbers say what a newcomer's laptop does); `drop()` removes it.
 */
export async function openBenchDatabase(poolSize = 20): Promise<{ db: Database; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const db = await openLedgerDatabase({});
    return { db, drop: () => db.close() };
  }
  const schema = `bench_${ulid().toLowerCase()}`;
  const db = await openLedgerDatabase({ url, schema, poolSize });
  return {
    db,
    async drop() {
      await db.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`drop schema ${schema} cascade`);
      await client.end();
    },
  };
}

/** Runs `work` over `items` with at most `concurrency` in flight; returns the rate per second. */
export async function measure<T>(options: { items: T[]; concurrency: number; work: (item: T) => Promise<unknown> }) {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < options.items.length) await options.work(options.items[next++] as T);
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { count: options.items.length, seconds, perSecond: Math.round(options.items.length / seconds) };
}

export const report = (label: string, value: string) => console.log(`${label.padEnd(48)} ${value}`);
