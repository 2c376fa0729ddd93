/**
 * What was replayed of one partition of `<topic>.dlq`: every offset below `next`, and `singles` above it (records
 * replayed one by one with `--offset`). Kept as the committed offset and its metadata of the consumer group
 * `clueline-dlq-replay.<topic>`, so the group's lag is what still waits for a replay and no table is needed.
 * Kafka drops an empty group's offsets after `offsets.retention.minutes` (7 days by default): keep that at least as
 * long as the `.dlq` topics' retention, or a later `--all` puts older records back again (which the consumers then
 * drop as duplicates by `ce_id`).
 */
export interface ReplayMarks {
  next: bigint;
  singles: bigint[];
}

export const noReplayMarks = (): ReplayMarks => ({ next: 0n, singles: [] });

export function isReplayed(marks: ReplayMarks, offset: bigint): boolean {
  return offset < marks.next || marks.singles.includes(offset);
}

/** The marks with `offsets` added; singles that now follow `next` without a gap are folded into it. */
export function markReplayed(marks: ReplayMarks, offsets: readonly bigint[]): ReplayMarks {
  const singles = new Set([...marks.singles, ...offsets].filter((offset) => offset >= marks.next));
  let next = marks.next;
  while (singles.delete(next)) next += 1n;
  return { next, singles: [...singles].sort((a, b) => (a < b ? -1 : 1)) };
}

/** The marks after replaying everything below `end` (a `--all` that read up to there). */
export function markReplayedUpTo(marks: ReplayMarks, end: bigint): ReplayMarks {
  return end <= marks.next ? marks : markReplayed({ next: end, singles: marks.singles }, []);
}

/** The group's committed offset ("-1": none) and metadata as marks; metadata this tool did not write is ignored. */
export function parseReplayMarks(committed: { offset: string; metadata: string | null }): ReplayMarks {
  const next = BigInt(committed.offset) < 0n ? 0n : BigInt(committed.offset);
  let singles: bigint[] = [];
  try {
    const parsed = JSON.parse(committed.metadata ?? "{}") as { replayed?: unknown };
    if (Array.isArray(parsed.replayed)) singles = parsed.replayed.filter((o) => typeof o === "string").map((o) => BigInt(o));
  } catch {
    // Not ours: nothing above `next` is known to be replayed.
  }
  return markReplayed({ next, singles: [] }, singles);
}

/**
 * The metadata to commit with `marks.next`. Kafka keeps at most `offset.metadata.max.bytes` (4 KiB by default) of it,
 * some 200 single offsets; a `replay --all` folds them all into the offset.
 */
export function serializeReplayMarks(marks: ReplayMarks): string {
  return JSON.stringify({ replayed: marks.singles.map(String) });
}
