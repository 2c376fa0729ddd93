import type { Queryable } from "@clueline/db";
import { z } from "zod";

const Held = z.object({ expires_at: z.union([z.date(), z.string()]).transform((value) => new Date(value)) });

/**
 * A named lease in the database, so that among several closure processes exactly one runs a loop that must
 * not run twice at once (the relay keeps per-clue order; the scan fires each reminder once). A holder checks it on
 * every turn and renews it once half its ttl has gone; when the holder dies, the lease expires and another process
 * takes over.
 *
 * @example
 * const lease = createLease({ db, name: "outbox-relay", holder: instanceId, ttlMs: 10_000 });
 * if (await lease.acquire()) await relayOnce();
 */
export function createLease(options: { db: Queryable; name: string; holder: string; ttlMs: number; clock?: () => Date }) {
  const clock = options.clock ?? (() => new Date());
  return {
    /** True when this holder has the lease now (taken, renewed, or held) for at least half a ttl more. */
    async acquire(): Promise<boolean> {
      const now = clock();
      // A renewal writes WAL even when nothing else does (the upsert locks the row, then updates it), and the relay
      // asks every 100 ms: about 1.3 KB/s while idle. A read writes nothing, so while more than half the ttl is left
      // the holder only reads that the lease is still its own; a lease another process took (or one gone) still
      // fails on the first turn after, as before. No one else can take a lease until it expires, so between two
      // renewals this holder keeps it for at least half a ttl.
      const { rows } = await options.db.query("select expires_at from leases where name = $1 and holder = $2", [
        options.name,
        options.holder,
      ]);
      const held = rows[0] ? Held.parse(rows[0]).expires_at : null;
      if (held !== null && held.getTime() - now.getTime() > options.ttlMs / 2) return true;
      const renewed = await options.db.query(
        `insert into leases (name, holder, expires_at) values ($1, $2, $3)
         on conflict (name) do update set holder = excluded.holder, expires_at = excluded.expires_at
           where leases.holder = excluded.holder or leases.expires_at < $4
         returning holder`,
        [options.name, options.holder, new Date(now.getTime() + options.ttlMs), now],
      );
      return renewed.rows.length === 1;
    },
    /** Gives the lease up at a clean stop, so a successor need not wait for it to expire. */
    async release(): Promise<void> {
      await options.db.query("delete from leases where name = $1 and holder = $2", [options.name, options.holder]);
    },
  };
}
