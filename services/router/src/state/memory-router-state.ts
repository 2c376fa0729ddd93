import type { RoutingDecision } from "@clueline/contracts";
import type { MergeTarget, SubjectKey } from "../routing/history.js";
import type { DecisionRecord, RouterState, RouterStateTransaction } from "./router-state.js";

interface StoredClue {
  clueId: string;
  openedAtMs: number;
  openedAt: string;
  subjects: readonly SubjectKey[];
}

/**
 * Router state in process memory, for the CLI, the benchmark and unit tests. Transactions run one at a time
 * (locks are therefore no-ops) and their writes apply only when the work resolves. Nothing is evicted: it is
 * meant for runs that end, not for a long-lived service.
 *
 * @example
 * const state = createMemoryRouterState();
 * await state.withTransaction(async (tx) => tx.getDecision("c-1")); // null
 */
export function createMemoryRouterState(): RouterState {
  const decisions = new Map<string, RoutingDecision>();
  /** Opening times per subject, kept sorted so a window count is one binary search. */
  const openedBySubject = new Map<SubjectKey, number[]>();
  const cluesByReporter = new Map<string, StoredClue[]>();
  let tail: Promise<unknown> = Promise.resolve();

  function apply(record: DecisionRecord): void {
    const { decision } = record;
    decisions.set(decision.complaintId, decision);
    if (decision.mergedInto !== null) return;
    const openedAtMs = Date.parse(record.openedAt);
    for (const subject of record.subjects) {
      const times = openedBySubject.get(subject) ?? [];
      times.splice(firstAtOrAfter(times, openedAtMs + 1), 0, openedAtMs);
      openedBySubject.set(subject, times);
    }
    if (record.reporterHash !== null) {
      const clues = cluesByReporter.get(record.reporterHash) ?? [];
      clues.push({
        clueId: decision.clueId,
        openedAtMs,
        openedAt: new Date(openedAtMs).toISOString(),
        subjects: record.subjects,
      });
      cluesByReporter.set(record.reporterHash, clues);
    }
  }

  // Transactions run one at a time, so one transaction object and one pending list serve them all.
  const pending = new Map<string, DecisionRecord>();
  const tx: RouterStateTransaction = {
    getDecision: async (complaintId) => pending.get(complaintId)?.decision ?? decisions.get(complaintId) ?? null,
    lock: async () => {},
    async findMergeTarget({ reporterHash, subjects, since }) {
      const sinceMs = Date.parse(since);
      let best: StoredClue | undefined;
      for (const clue of cluesByReporter.get(reporterHash) ?? []) {
        if (clue.openedAtMs < sinceMs || !clue.subjects.some((s) => subjects.includes(s))) continue;
        if (!best || clue.openedAtMs > best.openedAtMs || (clue.openedAtMs === best.openedAtMs && clue.clueId > best.clueId))
          best = clue;
      }
      return best
        ? ({ clueId: best.clueId, openedAt: best.openedAt, subjects: [...best.subjects].sort() } satisfies MergeTarget)
        : null;
    },
    async countRecentClues({ subjects, since }) {
      const sinceMs = Date.parse(since);
      const counts = new Map<SubjectKey, number>();
      for (const subject of subjects) {
        const times = openedBySubject.get(subject) ?? [];
        counts.set(subject, times.length - firstAtOrAfter(times, sinceMs));
      }
      return counts;
    },
    async recordDecision(record) {
      const existing = pending.get(record.decision.complaintId)?.decision ?? decisions.get(record.decision.complaintId);
      if (existing) return { decision: existing, duplicate: true };
      pending.set(record.decision.complaintId, record);
      return { decision: record.decision, duplicate: false };
    },
  };

  async function runTransaction<T>(work: (tx: RouterStateTransaction) => Promise<T>): Promise<T> {
    pending.clear();
    try {
      const result = await work(tx);
      for (const record of pending.values()) apply(record);
      return result;
    } finally {
      pending.clear();
    }
  }

  return {
    withTransaction<T>(work: (tx: RouterStateTransaction) => Promise<T>): Promise<T> {
      const run = tail.then(() => runTransaction(work));
      tail = run.catch(() => undefined);
      return run;
    },
    getDecision: async (complaintId) => decisions.get(complaintId) ?? null,
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
