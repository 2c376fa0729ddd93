import type { RoutingDecision } from "@clueline/contracts";
import { createClueIndex } from "./clue-index.js";
import type { DecisionRecord, RecordOutcome, RouterState, RouterStateTransaction } from "./router-state.js";

/**
 * Router state in process memory, for the CLI, the benchmark and unit tests. Transactions run one at a time
 * (locks are therefore no-ops) and their writes apply only when the work resolves; history reads see committed
 * clues only. Nothing is evicted: it is meant for runs that end, not for a long-lived service.
 *
 * @example
 * const state = createMemoryRouterState();
 * await state.withTransaction(async (tx) => tx.getDecision("c-1")); // null
 */
export function createMemoryRouterState(): RouterState {
  const decisions = new Map<string, RoutingDecision>();
  const clues = createClueIndex();
  /** Opening `ClueRouted` texts by clue id. */
  const openings = new Map<string, string>();
  let tail: Promise<unknown> = Promise.resolve();

  function apply(record: DecisionRecord): void {
    const { decision } = record;
    decisions.set(decision.complaintId, decision);
    if (decision.mergedInto !== null) return;
    if (record.routed) openings.set(decision.clueId, record.routed);
    clues.add({
      clueId: decision.clueId,
      openedAtMs: Date.parse(record.openedAt),
      subjects: record.subjects,
      reporterHash: record.reporterHash,
    });
  }

  // Transactions run one at a time, so one transaction object and one pending list serve them all.
  const pending = new Map<string, DecisionRecord>();
  const getDecision = (complaintId: string) => pending.get(complaintId)?.decision ?? decisions.get(complaintId) ?? null;
  function recordDecision(record: DecisionRecord): RecordOutcome {
    const existing = getDecision(record.decision.complaintId);
    if (existing) return { decision: existing, duplicate: true };
    pending.set(record.decision.complaintId, record);
    return { decision: record.decision, duplicate: false };
  }
  const tx: RouterStateTransaction = {
    getDecision: async (complaintId) => getDecision(complaintId),
    lock: async () => {},
    findMergeTarget: async ({ since, ...query }) => clues.findMergeTarget({ ...query, sinceMs: Date.parse(since) }),
    countRecentClues: async ({ subjects, since }) => clues.countRecentClues(subjects, Date.parse(since)),
    async readBatch({ complaintIds, history }) {
      const decisions = new Map<string, RoutingDecision>();
      for (const complaintId of complaintIds) {
        const decision = getDecision(complaintId);
        if (decision) decisions.set(complaintId, decision);
      }
      return { decisions, history: history && clues.rowsFor(history) };
    },
    recordDecision: async (record) => recordDecision(record),
    recordDecisions: async (records) => records.map(recordDecision),
    async readOpenings(clueIds) {
      const found = new Map<string, string>();
      const wanted = new Set(clueIds);
      for (const clueId of wanted) {
        const routed = openings.get(clueId);
        if (routed !== undefined) found.set(clueId, routed);
      }
      for (const { decision, routed } of pending.values()) {
        if (decision.mergedInto === null && routed && wanted.has(decision.clueId)) found.set(decision.clueId, routed);
      }
      return found;
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
