import type { Logger } from "pino";

/**
 * Runs `work` every `intervalMs` (first after one interval), one run at a time, logging each run's duration and
 * any failure; the timer does not keep the process alive. Returns a stop function that waits for a run in progress.
 *
 * Embedded PGlite runs without autovacuum (there are no background workers in its single process: tables keep
 * reltuples -1 and dead rows forever), so the services that use it vacuum and analyze it with this.
 *
 * @example
 * const stop = startMaintenance({ name: "pglite vacuum", intervalMs: 600_000, logger,
 *   work: () => db.query("vacuum (analyze)") });
 * shutdown.add("maintenance", stop);
 */
export function startMaintenance(options: {
  name: string;
  intervalMs: number;
  logger: Logger;
  work: () => Promise<unknown>;
}): () => Promise<void> {
  const logger = options.logger.child({ component: options.name });
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    const started = performance.now();
    running = options
      .work()
      .then(
        () => logger.info({ ms: Math.round(performance.now() - started) }, "maintenance done"),
        (error: unknown) => logger.warn({ errorClass: error instanceof Error ? error.name : "unknown" }, "maintenance failed"),
      )
      .finally(() => {
        running = undefined;
      });
  }, options.intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
