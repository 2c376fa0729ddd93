import type { BatchHandler, ConsumedRecord, OutgoingRecord, Publisher } from "@clueline/bus";
import {
  Complaint,
  channelTopics,
  PoisonRecord,
  problemsOf,
  RetryableOutage,
  type RoutedComplaint,
  type RoutingDecision,
} from "@clueline/contracts";
import { isDatabaseOutage } from "@clueline/db";
import { createScrubber } from "@clueline/identity";
import type { BatchOutcome, BatchRouteOptions } from "../routing/index.js";
import { fanOut, openingRecordOf, routedRecordOf, storedValueOf } from "./fan-out.js";
import { type ChannelEvent, normalize } from "./normalize.js";

/** The channel topics the router consumes, under a prefix. */
export function channelTopicNames(prefix: string): string[] {
  return channelTopics.map((topic) => prefix + topic.name);
}

/**
 * Contacts out of the text the units will read. The edges scrubbed it already, with the reporter's identity, which
 * the router never holds; this second pass (contact patterns only) is defence in depth for events from an edge
 * that did not, and keeps the unit streams clean of any contact however written (DESIGN §8).
 */
const scrubContacts = createScrubber();

function parseChannelEvent(record: ConsumedRecord, prefix: string): ChannelEvent {
  const topic = channelTopics.find((candidate) => prefix + candidate.name === record.topic);
  if (!topic) throw new PoisonRecord(`not a channel topic: ${record.topic}`);
  return topic.parse(record).data;
}

function routedComplaintOf(event: ChannelEvent, text: string): RoutedComplaint {
  const origin =
    event.channel === "hotline"
      ? { line: event.line, callId: event.callId }
      : event.channel === "intake"
        ? { form: event.form }
        : { outlet: event.outlet, program: event.program, url: event.url, reach: event.reach };
  return {
    complaintId: event.complaintId,
    channel: event.channel,
    receivedAt: event.receivedAt,
    text,
    reporter: event.reporter,
    ...(event.sealedOriginal ? { sealedOriginal: event.sealedOriginal } : {}),
    subjects: event.subjects,
    evidence: event.evidence,
    origin,
  };
}

/**
 * Handles a fetched batch of channel records: parse and normalize each (a bad record is poison, reported
 * back for the dead-letter topic), decide them all in one transaction (stored with the clues they open),
 * then publish the decisions and unit records together and wait for the broker's acknowledgement. Only then
 * does the runner commit the offsets, so a crash anywhere replays the batch, and rule 9 makes the replay
 * publish the same decisions, with the same event ids, again.
 * Each clue opening's routed event is stored with its decision, and a merge (rule 8) is published right behind its
 * clue's opening event, republished (a duplicate) in the same call under the same key: partitions are handled
 * independently, so the opening's own publication may still be pending in a failed batch that is replayed later.
 */
export function createChannelBatchHandler(deps: {
  routeBatch: (complaints: readonly Complaint[], options: BatchRouteOptions) => Promise<BatchOutcome[]>;
  publisher: Publisher;
  topicPrefix: string;
  /** Makes sure the topics exist before the first publish to them (unit streams appear with directory edits). */
  prepareTopics: (names: string[]) => Promise<void>;
}): BatchHandler {
  return async function handleChannelBatch(records, { logger }) {
    const poisoned: { record: ConsumedRecord; error: unknown }[] = [];
    const accepted: { event: ChannelEvent; complaint: Complaint }[] = [];
    for (const record of records) {
      try {
        const event = parseChannelEvent(record, deps.topicPrefix);
        const normalized = Complaint.safeParse(normalize(event));
        if (!normalized.success) {
          throw new PoisonRecord("complaint cannot be normalized", { problems: problemsOf(normalized.error.issues) });
        }
        accepted.push({ event, complaint: normalized.data });
      } catch (error) {
        if (!(error instanceof PoisonRecord)) throw error;
        poisoned.push({ record, error });
      }
    }
    const routedComplaints = accepted.map(({ event, complaint }) => routedComplaintOf(event, scrubContacts(complaint.text)));
    // An opening's routed record is built once: its value is stored with the decision and the record published.
    // Kept with the decision it was built for, since a retried transaction decides again with new ids.
    const built = new Map<number, { decision: RoutingDecision; record: OutgoingRecord }>();
    const routedOf = (decision: RoutingDecision, index: number) => {
      const record = routedRecordOf({ decision, complaint: routedComplaints[index] as RoutedComplaint }, deps.topicPrefix);
      built.set(index, { decision, record });
      return storedValueOf(record);
    };
    let outcomes: BatchOutcome[];
    try {
      outcomes = await deps.routeBatch(
        accepted.map(({ complaint }) => complaint),
        { routedOf },
      );
    } catch (cause) {
      throw isDatabaseOutage(cause) ? new RetryableOutage("router state", { cause }) : cause;
    }
    const outgoing = outcomes.flatMap(({ decision, opening }, index) => {
      const prebuilt = built.get(index);
      const records = fanOut({
        decision,
        complaint: routedComplaints[index] as RoutedComplaint,
        topicPrefix: deps.topicPrefix,
        routed: prebuilt?.decision === decision ? prebuilt.record : undefined,
      });
      if (decision.mergedInto === null) return records;
      if (opening === null) {
        logger.warn({ clueId: decision.mergedInto }, "no stored opening for a merged clue; publishing the merge alone");
        return records;
      }
      return [openingRecordOf(opening, deps.topicPrefix), ...records];
    });
    await deps.prepareTopics([...new Set(outgoing.map((record) => record.topic))]);
    await deps.publisher.publishAll(outgoing);
    logger.debug(
      { routed: outcomes.length, duplicates: outcomes.filter((o) => o.duplicate).length, poisoned: poisoned.length },
      "routed batch",
    );
    return { poisoned };
  };
}
