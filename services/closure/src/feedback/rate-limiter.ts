/**
 * A fixed-window counter per key, in memory. Enough for one closure process guarding receipt look-ups: 100-bit
 * codes make guessing hopeless anyway; the limit stops enumeration noise and abuse of the endpoint itself.
 * Several replicas each allow `limit`, which is acceptable for this purpose.
 *
 * @example
 * const limiter = createRateLimiter({ limit: 10, windowMs: 60_000 });
 * if (!limiter.take(clientKey).allowed) throw tooManyRequests();
 */
export function createRateLimiter(options: { limit: number; windowMs: number; clock?: () => Date; maxKeys?: number }) {
  const clock = options.clock ?? (() => new Date());
  const maxKeys = options.maxKeys ?? 100_000;
  const windows = new Map<string, { startedAt: number; count: number }>();

  return {
    take(key: string): { allowed: boolean; retryAfterSeconds: number } {
      const now = clock().getTime();
      let window = windows.get(key);
      if (!window || now - window.startedAt >= options.windowMs) {
        // Bounded memory: when full, forget windows that ended (and, failing that, the oldest one).
        if (!window && windows.size >= maxKeys) evict(now);
        window = { startedAt: now, count: 0 };
        windows.set(key, window);
      }
      window.count += 1;
      const retryAfterSeconds = Math.ceil((window.startedAt + options.windowMs - now) / 1000);
      return { allowed: window.count <= options.limit, retryAfterSeconds };
    },
  };

  function evict(now: number): void {
    for (const [key, window] of windows) if (now - window.startedAt >= options.windowMs) windows.delete(key);
    if (windows.size >= maxKeys) {
      const oldest = windows.keys().next();
      if (!oldest.done) windows.delete(oldest.value);
    }
  }
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
