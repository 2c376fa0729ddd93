import type { RecordHandler } from "@clueline/bus";
import { clueRoutedTopic, feedbackTopic } from "@clueline/contracts";
import type { Ledger } from "../ledger/ledger.js";
import { toConsumeError } from "./consume-errors.js";

/**
 * Applies `clueline.clue.routed.v1` records to the ledger. Parsing failures are poison (from the topic codec);
 * the ledger dedupes by `ce_source` + `ce_id` inside the transaction that applies the decision.
 *
 * @example
 * createConsumerRunner({ kafka, publisher, logger, groupId: "closure", topics: [names.clueRouted],
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
    if (outcome !== "duplicate") options.onApplied?.();
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
