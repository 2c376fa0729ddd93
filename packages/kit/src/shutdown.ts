import type { Logger } from "pino";

/**
 * Runs the given stop steps in reverse order of registration on SIGTERM or SIGINT, once: a service stops its
 * HTTP server before its consumers, and its consumers before the producer they publish through.
 *
 * @example
 * const shutdown = createShutdown({ logger });
 * shutdown.add("producer", () => publisher.close());
 * shutdown.add("http", () => server.close());
 * shutdown.listen();
 */
export function createShutdown(options: { logger: Logger; timeoutMs?: number }) {
  const steps: { name: string; stop: () => Promise<void> }[] = [];
  let running: Promise<void> | undefined;

  async function run(): Promise<void> {
    for (const step of [...steps].reverse()) {
      try {
        await step.stop();
        options.logger.info({ step: step.name }, "stopped");
      } catch (error) {
        options.logger.error({ step: step.name, errorClass: error instanceof Error ? error.name : "unknown" }, "stop failed");
      }
    }
  }

  return {
    add(name: string, stop: () => Promise<void>) {
      steps.push({ name, stop });
    },
    stop(): Promise<void> {
      running ??= run();
      return running;
    },
    listen() {
      const onSignal = (signal: string) => {
        options.logger.info({ signal }, "shutting down");
        const deadline = setTimeout(() => process.exit(1), options.timeoutMs ?? 15_000);
        deadline.unref();
        void this.stop().then(() => process.exit(0));
      };
      process.once("SIGTERM", onSignal);
      process.once("SIGINT", onSignal);
    },
  };
}
