import type { ConsumedRecord, Publisher, RecordHandler } from "@clueline/bus";
import {
  Complaint,
  hotlineReceivedTopic,
  intakeReceivedTopic,
  mediaReceivedTopic,
  PoisonRecord,
  problemsOf,
  RetryableOutage,
  type RoutedComplaint,
} from "@clueline/contracts";
import type { RecordOutcome } from "../state/index.js";
import { fanOut } from "./fan-out.js";
import { type ChannelEvent, normalize } from "./normalize.js";
import { scrubContacts } from "./scrub-contacts.js";

/**
 * Connection failures (node's ECONNREFUSED, ECONNRESET…) and PostgreSQL's connection, resource and
 * operator-intervention classes (08, 53, 57) pass; anything else is a bug the runner retries a few times and
 * then dead-letters instead of blocking the partition forever.
 */
function isDatabaseOutage(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (/^E[A-Z]+$/.test(code) || /^(08|53|57)/.test(code));
}

const channelTopics = [hotlineReceivedTopic, intakeReceivedTopic, mediaReceivedTopic];

/** The channel topics the router consumes, under a prefix. */
export function channelTopicNames(prefix: string): string[] {
  return channelTopics.map((topic) => prefix + topic.name);
}

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
    subjects: event.subjects,
    evidence: event.evidence,
    origin,
  };
}

/**
 * Handles one channel record: parse (a bad record is poison), normalize, decide (stored with the clue in one
 * transaction), then publish the decision and the unit records and wait for the broker's acknowledgement.
 * Only then does the runner commit the offset, so a crash anywhere replays the record and rule 9 makes the
 * replay publish the same decision again.
 */
export function createChannelHandler(deps: {
  routeComplaint: (complaint: Complaint) => Promise<RecordOutcome>;
  publisher: Publisher;
  topicPrefix: string;
  /** Makes sure the topics exist before the first publish to them (unit streams appear with directory edits). */
  prepareTopics: (names: string[]) => Promise<void>;
}): RecordHandler {
  return async function handleChannelRecord(record, { logger }) {
    const event = parseChannelEvent(record, deps.topicPrefix);
    const normalized = Complaint.safeParse(normalize(event));
    if (!normalized.success) {
      throw new PoisonRecord("complaint cannot be normalized", { problems: problemsOf(normalized.error.issues) });
    }
    let outcome: RecordOutcome;
    try {
      outcome = await deps.routeComplaint(normalized.data);
    } catch (cause) {
      throw isDatabaseOutage(cause) ? new RetryableOutage("router state", { cause }) : cause;
    }
    const { decision } = outcome;
    const routed = routedComplaintOf(event, scrubContacts(normalized.data.text));
    const records = fanOut({ decision, complaint: routed, topicPrefix: deps.topicPrefix });
    await deps.prepareTopics(records.map((r) => r.topic));
    await deps.publisher.publishAll(records);
    logger.debug({ clueId: decision.clueId, complaintId: decision.complaintId, duplicate: outcome.duplicate }, "routed");
  };
}
