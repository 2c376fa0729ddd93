import { dlqHeaders } from "@clueline/bus";
import { clueRoutedTopic, lifecycleTopic } from "@clueline/contracts";
import { readTopic } from "@clueline/testing";
import type { Admin, Kafka } from "kafkajs";

/** Records a topic holds now: the sum over partitions of high watermark minus log start. */
export async function recordCount(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
}

/** How far a consumer group is behind the end of its topics (a group that never committed is behind by all). */
export async function consumerLag(admin: Admin, groupId: string, topics: string[]): Promise<number> {
  const committed = await admin.fetchOffsets({ groupId, topics });
  let lag = 0;
  for (const topic of topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    const mine = committed.find((c) => c.topic === topic)?.partitions ?? [];
    for (const end of ends) {
      const offset = Number(mine.find((p) => p.partition === end.partition)?.offset ?? -1);
      lag += Number(end.high) - (offset < 0 ? Number(end.low) : offset);
    }
  }
  return lag;
}

/** Every dead-letter topic under the prefix with its record count and the error classes found in it. */
export async function deadLetters(kafka: Kafka, admin: Admin, prefix: string) {
  const topics = (await admin.listTopics()).filter((name) => name.startsWith(prefix) && name.endsWith(".dlq")).sort();
  const found: { topic: string; records: number; errorClasses: string[] }[] = [];
  for (const topic of topics) {
    const records = await recordCount(admin, topic);
    const errorClasses =
      records === 0
        ? []
        : [...new Set((await readTopic({ kafka, topic, count: records })).map((r) => String(r.headers[dlqHeaders.errorClass])))];
    found.push({ topic, records, errorClasses });
  }
  return {
    topics: found.length,
    records: found.reduce((sum, t) => sum + t.records, 0),
    nonEmpty: found.filter((t) => t.records),
  };
}

/**
 * The lifecycle topic read to its end. Consumers dedupe by `ce_source + ce_id` (DESIGN §4), so "exactly once in
 * effect" is judged on distinct ids; a redelivery (the outbox re-sending after a crash, a producer retry) must
 * carry the same bytes as the first copy, or it is a different event under a reused id.
 */
export async function readLifecycle(kafka: Kafka, admin: Admin, topic: string) {
  const count = await recordCount(admin, topic);
  const records = await readTopic({ kafka, topic, count, timeoutMs: 60_000 });
  const byId = new Map<string, { clueId: string; event: string; value: string }>();
  let conflicting = 0;
  for (const record of records) {
    const { attributes, data } = lifecycleTopic.parse(record);
    const id = `${attributes.source} ${attributes.id}`;
    const value = record.value?.toString() ?? "";
    const first = byId.get(id);
    if (first && first.value !== value) conflicting += 1;
    if (!first) byId.set(id, { clueId: data.clueId, event: data.event, value });
  }
  const openedPerClue = new Map<string, number>();
  for (const { clueId, event } of byId.values()) {
    if (event === "clue.opened") openedPerClue.set(clueId, (openedPerClue.get(clueId) ?? 0) + 1);
  }
  return {
    onTopic: count,
    read: records.length,
    distinct: byId.size,
    redelivered: records.length - byId.size,
    conflicting,
    eventIds: new Set([...byId.keys()].map((id) => id.slice(id.indexOf(" ") + 1))),
    openedPerClue,
  };
}

/**
 * Causal order on `clueline.clue.routed.v1`: a merge decision (rule 8) is keyed by the clue it merges into, so
 * it shares that clue's partition, and the closure ledger can apply it only after the decision that opened the
 * clue. Returns the merges that appear on their partition before the clue's opening decision, with offsets.
 */
export async function mergesBeforeOpening(kafka: Kafka, admin: Admin, topic: string) {
  const count = await recordCount(admin, topic);
  const records = (await readTopic({ kafka, topic, count, timeoutMs: 60_000 })).sort(
    (a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset),
  );
  // partition@offset and the broker's append time, to see which publish came late.
  const openedAt = new Map<string, string>();
  const early: { complaintId: string; clueId: string; at: string }[] = [];
  for (const record of records) {
    const { decision } = clueRoutedTopic.parse(record).data;
    const at = `${record.partition}@${record.offset} ${new Date(Number(record.timestamp)).toISOString().slice(11, 23)}`;
    if (decision.mergedInto === null) {
      if (!openedAt.has(decision.clueId)) openedAt.set(decision.clueId, at);
    } else if (!openedAt.has(decision.mergedInto)) {
      early.push({ complaintId: decision.complaintId, clueId: decision.mergedInto, at });
    }
  }
  return { read: records.length, early: early.map((merge) => ({ ...merge, openedAt: openedAt.get(merge.clueId) ?? "never" })) };
}
