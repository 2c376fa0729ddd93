import { RetryableOutage } from "@clueline/contracts";

/**
 * Connects, retrying an outage for about a minute: a broker slow to answer while the machine is loaded (a
 * publisher thread that does not answer in time is replaced and its connect refused) is no reason for an edge
 * never to start. Anything else, and an outage that outlasts the retries, still stops the start.
 *
 * @example
 * await untilConnected(() => publisher.connect(), logger);
 */
export async function untilConnected(
  connect: () => Promise<void>,
  logger: { warn: (fields: object, message: string) => void },
  delaysMs: readonly number[] = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000],
): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await connect();
    } catch (error) {
      const delayMs = delaysMs[attempt];
      if (!(error instanceof RetryableOutage) || delayMs === undefined) throw error;
      logger.warn({ err: error, attempt: attempt + 1, retryInMs: delayMs }, "kafka not reachable yet; retrying");
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
