import type { BatchHandler, ConsumedRecord, RecordHandler } from "@clueline/bus";
import { clueRoutedTopic, feedbackTopic } from "@clueline/contracts";
import { PoisonRecord } from "@clueline/contracts/errors";
import type { Logger } from "pino";
import type { Ledger, RoutedItem } from "../ledger/ledger.js";
import { toConsumeError } from "./consume-errors.js";

/**
 * Applies `clueline.clue.routed.v1` records to the ledger. Parsing failures are poison (from the topic codec);
 * the ledger dedupes by `ce_source` + `ce_id` inside the transaction that applies the decision.
 *
 * @example
 * createConsumerRunner({ kafka, publisher, logger, metrics, groupId: "closure", topics: [names.clueRouted],
 *   handler: createRoutedHandler({ ledger, onApplied: relay.wake }) });
 */
export function createRoutedHandler(options: { ledger: Ledger; onApplied?: () => void }): RecordHandler {
  return async function handleRouted(record, { logger }) {
    const { attributes, data } = clueRoutedTopic.parse(record);
    const log = logger.child({ clueId: data.decision.clueId, eventId: attributes.id });
    const key = { source: attributes.source, id: attributes.id };
    const outcome = await options.ledger.applyRouted({ key, routed: data }).catch((error: unknown) => {
      throw toConsumeError(error);
    });
    log.debug({ outcome }, "routing decision applied");
    // `known` (a redelivered opening among them, which keeps no inbox row) wrote nothing for the relay to send.
    if (outcome !== "duplicate" && outcome !== "known") options.onApplied?.();
  };
}

/** Applies `clueline.clue.feedback.v1` records (call-backs, unit actions, replies) exactly as the API would. */
export function createFeedbackHandler(options: { ledger: Ledger; onApplied?: () => void }): RecordHandler {
  return async function handleFeedback(record, { logger }) {
    const { attributes, data } = feedbackTopic.parse(record);
    const log = logger.child({ clueId: data.clueId, eventId: attributes.id, kind: data.kind });
    const key = { source: attributes.source, id: attributes.id };
    const outcome = await options.ledger.applyFeedback({ key, feedback: data }).catch((error: unknown) => {
      throw toConsumeError(error);
    });
    log.debug({ outcome }, "feedback applied");
    if (outcome !== "duplicate") options.onApplied?.();
  };
}

type Poisoned = { record: ConsumedRecord; error: unknown }[];

/**
 * One fetched batch (one partition of one topic, in offset order) at a time: routing decisions are applied in one
 * transaction with a fixed number of statements (the ledger's throughput path); feedback records one transaction
 * each, as before. A record that cannot be parsed or that the ledger refuses is returned as poison for the runner
 * to dead-letter, and the rest of the batch is applied; an outage or a surprise throws, failing the whole batch
 * (the runner retries it, then goes one record at a time), and the inbox makes the retry exactly once in effect.
 *
 * @example
 * createConsumerRunner({ kafka, publisher, logger, metrics, groupId: "closure", topics: [routed, feedback],
 *   batchHandler: createLedgerBatchHandler({ ledger, routedTopic: routed, onApplied: relay.wake }) });
 */
export function createLedgerBatchHandler(options: {
  ledger: Ledger;
  /** The name of `clueline.clue.routed.v1` as subscribed (prefixed in tests); every other topic is feedback. */
  routedTopic: string;
  onApplied?: () => void;
}): BatchHandler {
  const handleFeedback = createFeedbackHandler({ ledger: options.ledger });

  async function routedBatch(records: ConsumedRecord[], logger: Logger) {
    const poisoned: Poisoned = [];
    const items: { record: ConsumedRecord; item: RoutedItem }[] = [];
    for (const record of records) {
      try {
        const { attributes, data } = clueRoutedTopic.parse(record);
        items.push({ record, item: { key: { source: attributes.source, id: attributes.id }, routed: data } });
      } catch (error) {
        if (!(error instanceof PoisonRecord)) throw error;
        poisoned.push({ record, error });
      }
    }
    const results = await options.ledger.applyRoutedBatch(items.map(({ item }) => item));
    const counts: Record<string, number> = {};
    results.forEach((result, index) => {
      counts[result.outcome] = (counts[result.outcome] ?? 0) + 1;
      const { record } = items[index] as (typeof items)[number];
      if (result.outcome === "refused") poisoned.push({ record, error: toConsumeError(result.error) });
    });
    logger.debug({ outcomes: counts }, "routing decisions applied");
    const changed = ["opened", "supplemented", "reopened", "rerouted"].some((outcome) => (counts[outcome] ?? 0) > 0);
    return { poisoned, changed };
  }

  async function feedbackBatch(records: ConsumedRecord[], logger: Logger, attempt: number) {
    const poisoned: Poisoned = [];
    for (const record of records) {
      try {
        await handleFeedback(record, { logger: logger.child({ offset: record.offset }), attempt });
      } catch (error) {
        if (!(error instanceof PoisonRecord)) throw error;
        poisoned.push({ record, error });
      }
    }
    return { poisoned, changed: poisoned.length < records.length };
  }

  return async function handleLedgerBatch(records, { logger, attempt }) {
    const routed = records[0]?.topic === options.routedTopic;
    const { poisoned, changed } = routed ? await routedBatch(records, logger) : await feedbackBatch(records, logger, attempt);
    if (changed) options.onApplied?.();
    return { poisoned };
  };
}
