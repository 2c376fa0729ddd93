/**
 * What {@link IdempotencyStore.claim} found for a (caller, Idempotency-Key) scope:
 * - `fresh`: nobody used it; run the request, then `settle` with the answer or `release` on failure;
 * - `replay`: the same body came before; the stored (or still pending) answer is the answer;
 * - `conflict`: the key was used with another body.
 */
export type Claim =
  | { kind: "fresh"; settle(answer: unknown): void; release(error: unknown): void }
  | { kind: "replay"; answer: Promise<unknown> }
  | { kind: "conflict" };

export interface IdempotencyStore {
  claim(scope: string, fingerprint: string): Claim;
  readonly size: number;
}

interface Entry {
  fingerprint: string;
  expiresAt: number;
  /** While the first request runs; dropped once it settles, so only the answer itself stays. */
  pending: Promise<unknown> | undefined;
  value: unknown;
}

/**
 * An in-process, bounded, expiring map of (caller, Idempotency-Key) → request fingerprint and answer.
 *
 * Its limit is deliberate and documented: it forgets on restart, after `ttlMs`, and once `maxEntries` newer
 * keys pushed an entry out. Within that window a repeat gets the stored answer and a different body gets 409.
 * Beyond it a same-body retry is still safe, because the complaint id and receipt code are derived from the
 * key (see `complaintIdFor`): the retry republishes the same complaint, which the router drops as a duplicate.
 * A different body under an old key is then not detected; it is published under the old complaint id and
 * dropped by the router as well. A shared store (Redis, PostgreSQL) would lift that limit for several replicas.
 *
 * Only successful answers are kept: a failed request releases its key so the retry can go through.
 *
 * @example
 * const store = createIdempotencyStore({ ttlMs: 86_400_000, maxEntries: 20_000 });
 * const claim = store.claim(`${caller.subject}\u0000${key}`, fingerprint);
 */
export function createIdempotencyStore(options: { ttlMs: number; maxEntries: number; now?: () => number }): IdempotencyStore {
  const now = options.now ?? Date.now;
  // Insertion order is expiry order because every entry lives ttlMs, so the oldest entries sit at the front.
  const entries = new Map<string, Entry>();

  function sweep(at: number): void {
    for (const [scope, entry] of entries) {
      if (entry.expiresAt > at && entries.size < options.maxEntries) return;
      entries.delete(scope);
    }
  }

  return {
    get size() {
      return entries.size;
    },
    claim(scope, fingerprint) {
      const at = now();
      const existing = entries.get(scope);
      if (existing && existing.expiresAt > at) {
        if (existing.fingerprint !== fingerprint) return { kind: "conflict" };
        return { kind: "replay", answer: existing.pending ?? Promise.resolve(existing.value) };
      }
      if (existing) entries.delete(scope);
      sweep(at);
      let resolve: (answer: unknown) => void = () => undefined;
      let reject: (error: unknown) => void = () => undefined;
      const answer = new Promise<unknown>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      // A waiter may or may not exist when the original fails; the rejection must not go unhandled.
      answer.catch(() => undefined);
      const entry: Entry = { fingerprint, expiresAt: at + options.ttlMs, pending: answer, value: undefined };
      entries.set(scope, entry);
      return {
        kind: "fresh",
        settle(value) {
          entry.value = value;
          entry.pending = undefined;
          resolve(value);
        },
        release(error) {
          if (entries.get(scope) === entry) entries.delete(scope);
          reject(error);
        },
      };
    },
  };
}
