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
  /**
   * For a decision that opens a clue: the `ClueRouted` value it is published with, as the exact JSON text on the
   * wire, stored with its clue so that a merge into the clue can republish it first (see `readOpenings`).
   * Absent when the caller publishes nothing (the CLI); ignored for merged complaints.
   */
  routed?: string | null;
}

export interface RecordOutcome {
  /** The decision now stored for the complaint: the one given, or the one a concurrent delivery stored first. */
  decision: RoutingDecision;
  /** True when a decision already existed for this complaint id and the given one was discarded. */
  duplicate: boolean;
}

/** A clue as history needs it: when it opened, about what, and (for rule 8) by whom. */
export interface OpenedClue {
  clueId: string;
  /** Epoch milliseconds of the opening complaint's `receivedAt`. */
  openedAtMs: number;
  subjects: readonly SubjectKey[];
  /** The real-name reporter's keyed hash when the clue may be merged into; null otherwise. */
  reporterHash: string | null;
}

export interface ReporterClue extends OpenedClue {
  reporterHash: string;
}

/**
 * The history a whole batch depends on. Each complaint's windows start at its own `receivedAt` minus the window,
 * so the batch spans a range of starts; times are ISO-8601.
 */
export interface BatchHistoryQuery {
  subjects: readonly SubjectKey[];
  /** The earliest and latest rule 5 window starts in the batch. */
  repeatSince: { earliest: string; latest: string };
  reporterHashes: readonly string[];
  /** The earliest rule 8 window start in the batch. */
  mergeSince: string;
}

/**
 * What {@link BatchHistoryQuery} reads, enough to answer every window of the batch in memory (`createClueIndex`).
 * Clues opened since the latest repeat start are counted, not listed, so the rows stay few however long the
 * window: only the starts' spread (about the batch's `receivedAt` spread) is listed one by one.
 */
export interface HistoryRows {
  /** Per subject, the clues (merged complaints excluded) opened at or after `repeatSince.latest`. */
  countedFromLatest: ReadonlyMap<SubjectKey, number>;
  /** Per subject, the opening times (epoch ms, ascending) of clues opened from `repeatSince.earliest` until `latest`. */
  openedBeforeLatest: ReadonlyMap<SubjectKey, readonly number[]>;
  /** The queried reporters' clues opened since `mergeSince`, each with all its subjects. */
  reporterClues: readonly ReporterClue[];
}

/** What a batch reads under its locks before deciding anything, in one round trip. */
export interface BatchQuery {
  /** Rule 9: the complaint ids whose stored decisions to return. */
  complaintIds: readonly string[];
  /** Rules 5 and 8; null when no complaint of the batch names a subject. */
  history: BatchHistoryQuery | null;
}

export interface BatchSnapshot {
  /** The decisions already stored for the queried complaint ids, by complaint id. */
  decisions: Map<string, RoutingDecision>;
  history: HistoryRows | null;
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
  /**
   * Rules 9, 5 and 8 for a whole batch in one read: lock every subject and reporter queried first, so that
   * nothing read can change before the batch commits.
   */
  readBatch(query: BatchQuery): Promise<BatchSnapshot>;
  /**
   * {@link recordDecision} for many complaints, in a fixed number of statements whatever their count; distinct
   * complaint ids only. One outcome per record, in order; `duplicate` marks a decision a concurrent delivery
   * stored first.
   */
  recordDecisions(records: readonly DecisionRecord[]): Promise<RecordOutcome[]>;
  /**
   * The stored opening `ClueRouted` text ({@link DecisionRecord.routed}) of each clue id that has one, including
   * clues recorded earlier in this transaction; one read whatever the count.
   */
  readOpenings(clueIds: readonly string[]): Promise<Map<string, string>>;
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
