import type { OutgoingRecord } from "@clueline/bus";
import { unitChangeTopic } from "@clueline/contracts";
import { LedgerEvent } from "../ledger/events/ledger-event.js";
import { unitChangesOf, unitStreamKinds } from "./unit-stream-kinds.js";

/** Where the relay puts unit-stream records: the service's topic prefix, and how a unit's topic comes to exist. */
export interface UnitStreams {
  prefix: string;
  /** Makes sure these topics exist before the first publish to them: a unit's stream appears when it first gets work. */
  prepare(topics: string[]): Promise<void>;
}

/** A ledger event that names units by {@link unitStreamKinds} but no longer parses (a bug): skipped, and said so. */
export class UnitStreamSkipped extends Error {
  override readonly name = "UnitStreamSkipped";
  constructor(
    readonly eventId: string,
    options: { cause: unknown },
  ) {
    super(`ledger event ${eventId} does not parse; its unit-stream records were not published`, options);
  }
}

/**
 * The unit-stream records of one relayed lifecycle event, built from the stored event alone: a re-send after a relay
 * restart has the same bytes, key and `ce_id` (the ledger event's). `ce_source` names the unit
 * (`<source>/units/<unitId>`), so one event's records on several streams stay distinct. Empty for an event no unit
 * hears of; a {@link UnitStreamSkipped} when a stored event that should be heard does not parse.
 *
 * @example
 * const records = unitStreamRecordsOf({ payload, eventId, time, source: "/clueline/closure", prefix: "" });
 */
export function unitStreamRecordsOf(options: {
  payload: unknown;
  eventId: string;
  time: string;
  source: string;
  prefix: string;
}): OutgoingRecord[] | UnitStreamSkipped {
  const kind = (options.payload as { event?: unknown } | null)?.event;
  if (typeof kind !== "string" || !Object.hasOwn(unitStreamKinds, kind)) return [];
  const parsed = LedgerEvent.safeParse(options.payload);
  if (!parsed.success) return new UnitStreamSkipped(options.eventId, { cause: parsed.error });
  return unitChangesOf(parsed.data).map((change) => {
    const topic = unitChangeTopic(change.unitId, options.prefix);
    const attributes = { source: `${options.source}/units/${change.unitId}`, id: options.eventId, time: options.time };
    return { topic: topic.name, ...topic.serialize(change, attributes) };
  });
}
