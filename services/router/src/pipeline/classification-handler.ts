import type { BatchHandler, ConsumedRecord } from "@clueline/bus";
import { ClueClassified, lifecycleTopic, PoisonRecord, parseEnvelope, problemsOf, RetryableOutage } from "@clueline/contracts";
import type { Rerouting } from "../routing/create-rerouter.js";
import { isDatabaseOutage } from "./channel-handler.js";
import { fanOut } from "./fan-out.js";

/** The one lifecycle event the router acts on; every other is someone else's and skipped unread. */
function classifiedOf(record: ConsumedRecord): { eventId: string; classified: ClueClassified } | null {
  const { attributes, data } = parseEnvelope(record);
  if (attributes.type !== lifecycleTopic.type) throw new PoisonRecord(`expected event type ${lifecycleTopic.type}`);
  if ((data as { event?: unknown } | null)?.event !== "clue.classified") return null;
  const parsed = ClueClassified.safeParse(data);
  if (!parsed.success) throw new PoisonRecord("clue.classified does not parse", { problems: problemsOf(parsed.error.issues) });
  return { eventId: attributes.id, classified: parsed.data };
}

/**
 * Handles a fetched batch of `clueline.clue.lifecycle.v1`: each `clue.classified` (the commission chose the category of
 * an unclassified clue, 分办) is routed again and published like a first routing, on `clueline.clue.routed.v1` and the
 * streams of the units it involves; every other event is skipped. Offsets are committed only after the broker
 * acknowledged, so a crash re-routes again, with the same decision id (derived from the event's), which the closure
 * applies once. A record that does not parse is poison, for the dead-letter topic.
 */
export function createClassificationBatchHandler(deps: {
  reroute: (input: { eventId: string; classified: ClueClassified }) => Promise<Rerouting>;
  publisher: { publishAll(records: ReturnType<typeof fanOut>): Promise<void> };
  topicPrefix: string;
  /** Makes sure the topics exist before the first publish to them (unit streams appear with directory edits). */
  prepareTopics: (names: string[]) => Promise<void>;
}): BatchHandler {
  return async function handleClassificationBatch(records, { logger }) {
    const poisoned: { record: ConsumedRecord; error: unknown }[] = [];
    const outgoing: ReturnType<typeof fanOut> = [];
    for (const record of records) {
      try {
        const found = classifiedOf(record);
        if (!found) continue;
        let rerouting: Rerouting;
        try {
          rerouting = await deps.reroute(found);
        } catch (cause) {
          throw isDatabaseOutage(cause) ? new RetryableOutage("router state", { cause }) : cause;
        }
        const { decision, complaint } = rerouting.routed;
        outgoing.push(...fanOut({ decision, complaint, topicPrefix: deps.topicPrefix }));
        logger.info(
          { clueId: decision.clueId, decisionId: decision.decisionId, eventId: found.eventId },
          "classified clue routed again",
        );
      } catch (error) {
        if (!(error instanceof PoisonRecord)) throw error;
        poisoned.push({ record, error });
      }
    }
    if (outgoing.length > 0) {
      await deps.prepareTopics([...new Set(outgoing.map((record) => record.topic))]);
      await deps.publisher.publishAll(outgoing);
    }
    return { poisoned };
  };
}
