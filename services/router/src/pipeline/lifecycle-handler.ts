import type { BatchHandler, ConsumedRecord } from "@clueline/bus";
import {
  ClueClassified,
  type ClueRouted,
  ConductPatternDetected,
  lifecycleTopic,
  PoisonRecord,
  parseEnvelope,
  problemsOf,
  RetryableOutage,
} from "@clueline/contracts";
import { isDatabaseOutage } from "@clueline/db";
import type { Rerouting } from "../routing/create-rerouter.js";
import { fanOut } from "./fan-out.js";

type LifecycleWork =
  | { kind: "classified"; eventId: string; classified: ClueClassified }
  | { kind: "conduct"; eventId: string; pattern: ConductPatternDetected };

/** The two lifecycle events the router acts on; every other is someone else's and skipped unread. */
function workOf(record: ConsumedRecord): LifecycleWork | null {
  const { attributes, data } = parseEnvelope(record);
  if (attributes.type !== lifecycleTopic.type) throw new PoisonRecord(`expected event type ${lifecycleTopic.type}`);
  const event = (data as { event?: unknown } | null)?.event;
  if (event === "clue.classified") {
    const parsed = ClueClassified.safeParse(data);
    if (!parsed.success) throw new PoisonRecord("clue.classified does not parse", { problems: problemsOf(parsed.error.issues) });
    return { kind: "classified", eventId: attributes.id, classified: parsed.data };
  }
  if (event === "conduct.pattern-detected") {
    const parsed = ConductPatternDetected.safeParse(data);
    if (!parsed.success) {
      throw new PoisonRecord("conduct.pattern-detected does not parse", { problems: problemsOf(parsed.error.issues) });
    }
    return { kind: "conduct", eventId: attributes.id, pattern: parsed.data };
  }
  return null;
}

/**
 * Handles a fetched batch of `clueline.clue.lifecycle.v1`: each `clue.classified` (the commission chose the category of
 * an unclassified clue, 分办) is routed again, and each `conduct.pattern-detected` (rule 10) becomes the discipline clue
 * about the department or its supplement; both are published like a first routing, on `clueline.clue.routed.v1` and
 * the streams of the units involved; every other event is skipped. Offsets are committed only after the broker
 * acknowledged, so a crash decides again, with the same decision id (derived from the event's), which the closure
 * applies once. A record that does not parse is poison, for the dead-letter topic.
 */
export function createLifecycleBatchHandler(deps: {
  reroute: (input: { eventId: string; classified: ClueClassified }) => Promise<Rerouting>;
  conductClue: (input: { eventId: string; pattern: ConductPatternDetected }) => ClueRouted;
  publisher: { publishAll(records: ReturnType<typeof fanOut>): Promise<void> };
  topicPrefix: string;
  /** Makes sure the topics exist before the first publish to them (unit streams appear with directory edits). */
  prepareTopics: (names: string[]) => Promise<void>;
}): BatchHandler {
  async function decide(work: LifecycleWork): Promise<ClueRouted> {
    if (work.kind === "conduct") return deps.conductClue(work);
    try {
      return (await deps.reroute(work)).routed;
    } catch (cause) {
      throw isDatabaseOutage(cause) ? new RetryableOutage("router state", { cause }) : cause;
    }
  }

  return async function handleLifecycleBatch(records, { logger }) {
    const poisoned: { record: ConsumedRecord; error: unknown }[] = [];
    const outgoing: ReturnType<typeof fanOut> = [];
    for (const record of records) {
      try {
        const work = workOf(record);
        if (!work) continue;
        const { decision, complaint } = await decide(work);
        outgoing.push(...fanOut({ decision, complaint, topicPrefix: deps.topicPrefix }));
        logger.info(
          { clueId: decision.clueId, decisionId: decision.decisionId, eventId: work.eventId },
          work.kind === "classified" ? "classified clue routed again" : "conduct pattern routed",
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
