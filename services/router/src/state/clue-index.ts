import type { MergeTarget, SubjectKey } from "../routing/history.js";
import type { BatchHistoryQuery, HistoryRows, OpenedClue, ReporterClue } from "./router-state.js";

/**
 * Clues in memory, answering the two history questions (rules 5 and 8) with the window arithmetic in one place:
 * the memory state keeps all of history in one, and a batch decides against one seeded with {@link HistoryRows}
 * and extended with the clues the batch opens.
 */
export interface ClueIndex {
  /** Adds a clue: its subjects count for rule 5 and, with a reporter hash, it may be merged into (rule 8). */
  add(clue: OpenedClue): void;
  /** Rule 5: per subject, the clues opened since `sinceMs`. */
  countRecentClues(subjects: readonly SubjectKey[], sinceMs: number): Map<SubjectKey, number>;
  /** Rule 8: the latest clue opened since `sinceMs` by this reporter that shares a subject. */
  findMergeTarget(query: { reporterHash: string; subjects: readonly SubjectKey[]; sinceMs: number }): MergeTarget | null;
  /** The rows a batch asking `query` needs, to seed its own index with (see `RouterStateTransaction.readBatch`). */
  rowsFor(query: BatchHistoryQuery): HistoryRows;
}

/**
 * A clue index, empty or seeded with rows loaded for a batch. A seeded index knows only the clues the rows hold,
 * so it answers only windows starting at or after the query's earliest starts, and rule 5 windows starting at
 * or before `repeatSince.latest` (clues after it are counted, not listed): the windows of the batch it was loaded for.
 *
 * @example
 * const snapshot = await tx.readBatch({ complaintIds, history: query });
 * const index = snapshot.history && createClueIndex({ rows: snapshot.history, query });
 * index?.countRecentClues(["town:chengguan"], Date.parse(repeatSince)); // Map { "town:chengguan" => 2 }
 */
export function createClueIndex(seed?: { rows: HistoryRows; query: BatchHistoryQuery }): ClueIndex {
  /** Opening times (epoch ms) per subject, kept sorted so a window count is one binary search. */
  const openedBySubject = new Map<SubjectKey, number[]>();
  const cluesByReporter = new Map<string, ReporterClue[]>();
  const counted = new Map<SubjectKey, number>(seed?.rows.countedFromLatest);
  const countedFromMs = seed ? Date.parse(seed.query.repeatSince.latest) : Number.POSITIVE_INFINITY;

  function addOpened(subject: SubjectKey, openedAtMs: number): void {
    const times = openedBySubject.get(subject) ?? [];
    times.splice(firstAtOrAfter(times, openedAtMs + 1), 0, openedAtMs);
    openedBySubject.set(subject, times);
  }
  function addReporterClue(clue: ReporterClue): void {
    const clues = cluesByReporter.get(clue.reporterHash) ?? [];
    clues.push(clue);
    cluesByReporter.set(clue.reporterHash, clues);
  }

  for (const [subject, times] of seed?.rows.openedBeforeLatest ?? []) for (const time of times) addOpened(subject, time);
  for (const clue of seed?.rows.reporterClues ?? []) addReporterClue(clue);

  return {
    add(clue) {
      for (const subject of new Set(clue.subjects)) addOpened(subject, clue.openedAtMs);
      if (clue.reporterHash !== null) addReporterClue({ ...clue, reporterHash: clue.reporterHash });
    },
    countRecentClues(subjects, sinceMs) {
      // Clues counted without their times all opened at or after `countedFromMs`: they are in any later window.
      if (sinceMs > countedFromMs) throw new RangeError("the window starts after the seeded rows' latest repeat start");
      const counts = new Map<SubjectKey, number>();
      for (const subject of subjects) {
        const times = openedBySubject.get(subject) ?? [];
        counts.set(subject, (counted.get(subject) ?? 0) + times.length - firstAtOrAfter(times, sinceMs));
      }
      return counts;
    },
    findMergeTarget({ reporterHash, subjects, sinceMs }) {
      let best: ReporterClue | undefined;
      for (const clue of cluesByReporter.get(reporterHash) ?? []) {
        if (clue.openedAtMs < sinceMs || !clue.subjects.some((s) => subjects.includes(s))) continue;
        if (!best || clue.openedAtMs > best.openedAtMs || (clue.openedAtMs === best.openedAtMs && clue.clueId > best.clueId))
          best = clue;
      }
      if (!best) return null;
      return { clueId: best.clueId, openedAt: new Date(best.openedAtMs).toISOString(), subjects: [...best.subjects].sort() };
    },
    rowsFor({ subjects, repeatSince, reporterHashes, mergeSince }) {
      const earliestMs = Date.parse(repeatSince.earliest);
      const latestMs = Date.parse(repeatSince.latest);
      const countedFromLatest = new Map<SubjectKey, number>();
      const openedBeforeLatest = new Map<SubjectKey, number[]>();
      for (const subject of new Set(subjects)) {
        const times = openedBySubject.get(subject) ?? [];
        const latest = firstAtOrAfter(times, latestMs);
        countedFromLatest.set(subject, (counted.get(subject) ?? 0) + times.length - latest);
        openedBeforeLatest.set(subject, times.slice(firstAtOrAfter(times, earliestMs), latest));
      }
      const mergeSinceMs = Date.parse(mergeSince);
      const reporterClues = [...new Set(reporterHashes)].flatMap((hash) =>
        (cluesByReporter.get(hash) ?? []).filter((clue) => clue.openedAtMs >= mergeSinceMs),
      );
      return { countedFromLatest, openedBeforeLatest, reporterClues };
    },
  };
}

/** The index of the first time ≥ `at` in ascending `times`. */
function firstAtOrAfter(times: readonly number[], at: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((times[middle] as number) < at) low = middle + 1;
    else high = middle;
  }
  return low;
}
