import { PoisonRecord } from "@clueline/contracts/errors";
import type { Logger } from "pino";
import { Counter, type Registry } from "prom-client";
import type { ConsumedRecord } from "./consumed-record.js";
import { errorClassOf, errorCodeOf } from "./dead-letter.js";

export const deadLettersMetric = "clueline_dead_letters_total";

/**
 * What a log line may say about a dead letter: where it was, its ids and the kind of error. Never the value, the
 * error's message nor a problem's reason: a database error may quote the value it refused and a zod message the
 * input it received, and either may hold what a reporter wrote.
 */
export function deadLetterLogFields(options: { record: ConsumedRecord; error: unknown }) {
  const { record, error } = options;
  const cause = error instanceof Error ? error.cause : undefined;
  return {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    ce_id: record.headers.ce_id ?? null,
    ce_type: record.headers.ce_type ?? null,
    key: record.key,
    errorClass: errorClassOf(error),
    errorCode: errorCodeOf(error) ?? errorCodeOf(cause) ?? null,
    ...(cause instanceof Error ? { causeClass: errorClassOf(cause) } : {}),
    ...(error instanceof PoisonRecord ? { problemPaths: error.problems.map((problem) => problem.path) } : {}),
  };
}

/**
 * Makes dead letters incidents (DESIGN §8): each one counted in `clueline_dead_letters_total{topic}` on the
 * service's registry and logged at error level with its ids. Called once a dead letter is in `<topic>.dlq`.
 *
 * @example
 * const reportDeadLetters = createDeadLetterReport({ metrics: registry, logger });
 * await publisher.publishAll(deadLetters); reportDeadLetters(poisoned);
 */
export function createDeadLetterReport(options: { metrics: Registry; logger: Logger }) {
  // Two runners in one process share the service's registry, and prom-client refuses a second metric of one name.
  const counter =
    (options.metrics.getSingleMetric(deadLettersMetric) as Counter<"topic"> | undefined) ??
    new Counter({
      name: deadLettersMetric,
      help: "Records sent to <topic>.dlq, by the topic they came from (list and replay them with `npm run dlq`)",
      labelNames: ["topic"],
      registers: [options.metrics],
    });
  return function reportDeadLetters(deadLetters: readonly { record: ConsumedRecord; error: unknown }[]): void {
    for (const { record, error } of deadLetters) {
      counter.inc({ topic: record.topic });
      options.logger.error(deadLetterLogFields({ record, error }), "record dead-lettered");
    }
  };
}
