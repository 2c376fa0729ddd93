/**
 * A forgiving read of a directory that failed (or passed) the shape check, so cross-reference checks still
 * run and every problem is reported in one pass. Anything of the wrong type reads as absent.
 */

export type LooseRecord = Readonly<Record<string, unknown>>;

/** One entry of a collection with its index, so problems can point at `departments[4]`. */
export interface LooseEntry {
  index: number;
  value: LooseRecord;
}

export function isRecord(value: unknown): value is LooseRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The object entries of `root[key]`, skipping non-objects (the shape check reports those). */
export function looseEntries(root: unknown, key: string): LooseEntry[] {
  const list = isRecord(root) ? root[key] : undefined;
  if (!Array.isArray(list)) return [];
  const entries: LooseEntry[] = [];
  list.forEach((value: unknown, index) => {
    if (isRecord(value)) entries.push({ index, value });
  });
  return entries;
}

export function looseString(record: LooseRecord | undefined, key: string): string | undefined {
  const value = record?.[key];
  return typeof value === "string" ? value : undefined;
}

/** The string items of `record[key]` with their indexes; other items are skipped. */
export function looseStrings(record: LooseRecord | undefined, key: string): Array<{ index: number; value: string }> {
  const list = record?.[key];
  if (!Array.isArray(list)) return [];
  const items: Array<{ index: number; value: string }> = [];
  list.forEach((value: unknown, index) => {
    if (typeof value === "string") items.push({ index, value });
  });
  return items;
}

export function looseSection(root: unknown, key: string): LooseRecord | undefined {
  const value = isRecord(root) ? root[key] : undefined;
  return isRecord(value) ? value : undefined;
}
