import type { Queryable } from "@clueline/db";

/**
 * A named lease in the database, so that among several closure processes exactly one runs a loop that must
 * not run twice at once (the relay keeps per-clue order; the scan fires each reminder once). A holder renews
 * it on every turn; when the holder dies, the lease expires and another process takes over.
 *
 * @example
 * const lease = createLease({ db, name: "outbox-relay", holder: instanceId, ttlMs: 10_000 });
 * if (await lease.acquire()) await relayOnce();
 */
export function createLease(options: { db: Queryable; name: string; holder: string; ttlMs: number; clock?: () => Date }) {
  const clock = options.clock ?? (() => new Date());
  return {
    /** True when this holder has the lease now (taken, or renewed) for another ttl. */
    async acquire(): Promise<boolean> {
      const now = clock();
      const { rows } = await options.db.query(
        `insert into leases (name, holder, expires_at) values ($1, $2, $3)
         on conflict (name) do update set holder = excluded.holder, expires_at = excluded.expires_at
           where leases.holder = excluded.holder or leases.expires_at < $4
         returning holder`,
        [options.name, options.holder, new Date(now.getTime() + options.ttlMs), now],
      );
      return rows.length === 1;
    },
    /** Gives the lease up at a clean stop, so a successor need not wait for it to expire. */
    async release(): Promise<void> {
      await options.db.query("delete from leases where name = $1 and holder = $2", [options.name, options.holder]);
    },
  };
}
