import type { Database } from "@clueline/db";
import type { Logger } from "pino";
import { createLease } from "./lease.js";

/**
 * Runs `turn` every `intervalMs` in the one process that holds the named lease; again at once when a turn
 * says more work is waiting; with growing pauses while it fails (an outage), logging each failure by class.
 *
 * @example
 * const loop = createSingletonLoop({ db, name: "deadline-scan", instanceId, logger, intervalMs: 10_000,
 *   turn: async () => (await scan.scanOnce()).reminders === scan.batchSize });
 * loop.start();
 */
export function createSingletonLoop(options: {
  db: Database;
  name: string;
  instanceId: string;
  logger: Logger;
  intervalMs: number;
  /** One unit of work; resolves true when more is waiting right away. */
  turn: () => Promise<boolean>;
}) {
  const lease = createLease({
    db: options.db,
    name: options.name,
    holder: options.instanceId,
    ttlMs: Math.max(15_000, options.intervalMs * 3),
  });
  const logger = options.logger.child({ component: options.name });
  let running: Promise<void> | undefined;
  let stopping = false;
  let wakeUp: (() => void) | undefined;

  async function loop(): Promise<void> {
    let failures = 0;
    while (!stopping) {
      let more = false;
      try {
        more = (await lease.acquire()) && (await options.turn());
        failures = 0;
      } catch (error) {
        failures += 1;
        logger.warn({ errorClass: error instanceof Error ? error.name : "unknown", failures }, "turn failed; retrying");
      }
      if (!more) await pause(failures === 0 ? options.intervalMs : Math.min(30_000, options.intervalMs * 2 ** failures));
    }
  }

  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  return {
    start(): void {
      running ??= loop();
    },
    wake(): void {
      wakeUp?.();
    },
    async stop(): Promise<void> {
      stopping = true;
      wakeUp?.();
      await running;
      await lease.release().catch(() => undefined);
    },
  };
}
