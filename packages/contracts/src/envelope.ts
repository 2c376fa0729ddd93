import { z } from "zod";
import { PoisonRecord, problemsOf } from "./errors.js";

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * CloudEvents 1.0 context attributes as clueline carries them. In Kafka binary mode each one travels
 * as a `ce_<name>` header and the record value is the JSON `data` (CloudEvents Kafka binding §3.2).
 */
export const EventAttributes = z.object({
  specversion: z.literal("1.0"),
  id: z.string().regex(ULID, "must be a ULID"),
  source: z.string().min(1),
  type: z.string().min(1),
  time: z.iso.datetime({ offset: true }),
  subject: z.string().min(1).optional(),
  datacontenttype: z.literal("application/json"),
});
export type EventAttributes = z.infer<typeof EventAttributes>;

/** A record as the transport sees it: bytes and string headers, nothing typed. */
export interface WireRecord {
  key: string | null;
  value: Buffer | string | null;
  headers: Record<string, string>;
}

const CE_PREFIX = "ce_";

/**
 * Encodes attributes + data into a binary-mode record (`content-type` replaces `ce_datacontenttype`). Every
 * record of every service passes here, so the headers are written out field by field (rest destructuring and a
 * loop over entries cost about twice as much). The value goes as UTF-8 bytes: given a string, kafkajs measures it
 * twice and encodes it once more for every record.
 */
export function serializeEnvelope(options: { attributes: EventAttributes; data: unknown; key: string }): WireRecord {
  const { attributes } = options;
  const headers: Record<string, string> = {
    "content-type": attributes.datacontenttype,
    ce_specversion: attributes.specversion,
    ce_id: attributes.id,
    ce_source: attributes.source,
    ce_type: attributes.type,
    ce_time: attributes.time,
  };
  if (attributes.subject !== undefined) headers.ce_subject = attributes.subject;
  return { key: options.key, value: Buffer.from(JSON.stringify(options.data)), headers };
}

/** Decodes a binary-mode record; anything malformed is a {@link PoisonRecord}. */
export function parseEnvelope(record: WireRecord): { attributes: EventAttributes; data: unknown } {
  const raw: Record<string, string> = { datacontenttype: record.headers["content-type"] ?? "" };
  for (const [name, value] of Object.entries(record.headers)) {
    if (name.startsWith(CE_PREFIX)) raw[name.slice(CE_PREFIX.length)] = value;
  }
  const attributes = EventAttributes.safeParse(raw);
  if (!attributes.success) {
    throw new PoisonRecord("record is not a clueline CloudEvent", { problems: problemsOf(attributes.error.issues) });
  }
  if (record.value === null) throw new PoisonRecord("record has no value", { problems: [{ path: "value", reason: "empty" }] });
  let data: unknown;
  try {
    data = JSON.parse(record.value.toString());
  } catch (cause) {
    throw new PoisonRecord("record value is not JSON", { cause, problems: [{ path: "value", reason: "not JSON" }] });
  }
  return { attributes: attributes.data, data };
}
