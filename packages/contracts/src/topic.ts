import type { z } from "zod";
import { type EventAttributes, parseEnvelope, serializeEnvelope, type WireRecord } from "./envelope.js";
import { PoisonRecord, problemsOf } from "./errors.js";
import { newId } from "./ids.js";

/** A typed event read off a topic: its CloudEvents attributes and its parsed data. */
export interface Event<T> {
  attributes: EventAttributes;
  data: T;
}

/**
 * One topic: its fixed name, the CloudEvents type it carries, the key of a record (the clue or complaint id,
 * so one matter's events stay in order on one partition), and the codec for its payload.
 */
export interface Topic<S extends z.ZodType> {
  readonly name: string;
  readonly type: string;
  readonly schema: S;
  keyOf(data: z.infer<S>): string;
  /** Builds a binary-mode record; `id` and `time` are made here unless given (a retry must reuse its id). */
  serialize(data: z.infer<S>, attributes: { source: string; subject?: string; id?: string; time?: string }): WireRecord;
  /** Parses a record; a bad envelope, a wrong type or a bad payload is a {@link PoisonRecord}. */
  parse(record: WireRecord): Event<z.infer<S>>;
}

/**
 * @example
 * const ClueRoutedTopic = defineTopic({ name: "clueline.clue.routed.v1", type: "clueline.clue.routed",
 *   schema: RoutingDecision, keyOf: (d) => d.clueId });
 */
export function defineTopic<S extends z.ZodType>(spec: {
  name: string;
  type: string;
  schema: S;
  keyOf: (data: z.infer<S>) => string;
}): Topic<S> {
  return {
    name: spec.name,
    type: spec.type,
    schema: spec.schema,
    keyOf: spec.keyOf,
    serialize(data, attributes) {
      const key = spec.keyOf(data);
      const envelope: EventAttributes = {
        specversion: "1.0",
        id: attributes.id ?? newId(),
        source: attributes.source,
        type: spec.type,
        time: attributes.time ?? new Date().toISOString(),
        subject: attributes.subject ?? key,
        datacontenttype: "application/json",
      };
      return serializeEnvelope({ attributes: envelope, data, key });
    },
    parse(record) {
      const { attributes, data } = parseEnvelope(record);
      if (attributes.type !== spec.type) {
        throw new PoisonRecord(`expected event type ${spec.type}`, {
          problems: [{ path: "ce_type", reason: `expected ${spec.type}, got ${attributes.type}` }],
        });
      }
      const parsed = spec.schema.safeParse(data);
      if (!parsed.success) {
        throw new PoisonRecord(`invalid ${spec.type} payload`, { problems: problemsOf(parsed.error.issues) });
      }
      return { attributes, data: parsed.data };
    },
  };
}
