import type { RoutingDecision } from "@clueline/contracts";
import type { MergeTarget, SubjectKey } from "../routing/history.js";

/** What is stored with a decision: the facts later complaints are compared with (rules 5 and 8). */
export interface DecisionRecord {
  decision: RoutingDecision;
  /** The complaint's `receivedAt`; the clue's opening time for the repeat and merge windows. */
  openedAt: string;
  /** The real-name reporter's keyed hash, kept for merging; null for anonymous reporters. Never published. */
  reporterHash: string | null;
  subjects: readonly SubjectKey[];
}

export interface RecordOutcome {
  /** The decision now stored for the complaint: the one given, or the one a concurrent delivery stored first. */
  decision: RoutingDecision;
  /** True when a decision already existed for this complaint id and the given one was discarded. */
  duplicate: boolean;
}

/**
 * One unit of work on router state. Everything read and written through it commits together, so a decision
 * is stored with the clue and subject rows its repeat counts come from, or not at all.
 */
export interface RouterStateTransaction {
  /** Rule 9: the decision already stored for a complaint id, if any. */
  getDecision(complaintId: string): Promise<RoutingDecision | null>;
  /**
   * Holds exclusive locks on the keys (subjects, reporter) until the transaction ends, so that router
   * instances deciding complaints that share a subject take turns and repeat counts stay exact.
   * Take all keys in one call: they are acquired in sorted order, which rules out deadlocks.
   */
  lock(keys: readonly string[]): Promise<void>;
  /** Rule 8: the latest clue opened since `since` by this reporter that shares a subject. */
  findMergeTarget(query: { reporterHash: string; subjects: readonly SubjectKey[]; since: string }): Promise<MergeTarget | null>;
  /** Rule 5: per subject, the clues (merged complaints excluded) opened since `since`. */
  countRecentClues(query: { subjects: readonly SubjectKey[]; since: string }): Promise<Map<SubjectKey, number>>;
  /**
   * Stores the decision; a new clue also stores its reporter hash and subjects. Exactly once per complaint
   * id (a unique constraint, not a prior read, is what guarantees it under concurrent redelivery).
   */
  recordDecision(record: DecisionRecord): Promise<RecordOutcome>;
}

/**
 * The router's memory of past decisions: in memory for the CLI, benchmarks and unit tests, in PostgreSQL
 * for the service.
 *
 * @example
 * const state = createMemoryRouterState();
 * const routeComplaint = createComplaintRouter({ state, directory: () => directory });
 */
export interface RouterState {
  /** Runs `work` in one transaction; a throw rolls everything back. */
  withTransaction<T>(work: (tx: RouterStateTransaction) => Promise<T>): Promise<T>;
  /** Read-only look-up outside a transaction (e.g. to answer "where did complaint X go?"). */
  getDecision(complaintId: string): Promise<RoutingDecision | null>;
}
