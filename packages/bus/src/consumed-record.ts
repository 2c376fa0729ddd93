import type { KafkaMessage } from "kafkajs";

/** A record as a handler receives it: transport details plus string headers, nothing parsed yet. */
export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  timestamp: string;
}

export function toConsumedRecord(options: { topic: string; partition: number; message: KafkaMessage }): ConsumedRecord {
  const { message } = options;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) headers[name] = first.toString();
  }
  return {
    topic: options.topic,
    partition: options.partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    value: message.value,
    headers,
    timestamp: message.timestamp,
  };
}
