import type { Complaint, RoutingDecision } from "@clueline/contracts";
import { monotonicFactory } from "ulid";
import type { CompiledDirectory } from "../directory/index.js";
import { type ClueIndex, createClueIndex } from "../state/clue-index.js";
import type {
  BatchHistoryQuery,
  DecisionRecord,
  RecordOutcome,
  RouterState,
  RouterStateTransaction,
} from "../state/router-state.js";
import { analyzeComplaint } from "./analyze-complaint.js";
import { emptyHistory, type HistoryQuery, type HistorySnapshot, historyQueryFor } from "./history.js";
import { route } from "./route.js";

export interface ComplaintRouterDeps {
  state: RouterState;
  /** Read once per complaint, so a directory reload never splits one decision (pass `holder.current`). */
  directory: () => CompiledDirectory;
  /** ULIDs for new clues and decisions; monotonic by default. */
  newId?: () => string;
  clock?: () => Date;
}

/**
 * The whole decision for one complaint, as the service and the CLI run it: rule 9 first (a complaint id
 * already decided returns the stored decision and opens nothing), then history is read under locks,
 * `route` decides, and the decision is stored in the same transaction as the clue it opens.
 * `duplicate` is informational: publish the returned decision either way, since a redelivery may follow a
 * crash between storing and publishing, and consumers drop repeats by `decisionId`.
 *
 * @example
 * const routeComplaint = createComplaintRouter({ state: createMemoryRouterState(), directory: holder.current });
 * const { decision } = await routeComplaint(complaint);
 */
export function createComplaintRouter(deps: ComplaintRouterDeps): (complaint: Complaint) => Promise<RecordOutcome> {
  const newId = deps.newId ?? monotonicFactory();
  const clock = deps.clock ?? (() => new Date());

  return async function routeComplaint(complaint: Complaint): Promise<RecordOutcome> {
    const directory = deps.directory();
    return deps.state.withTransaction(async (tx) => {
      const stored = await tx.getDecision(complaint.id);
      if (stored) return { decision: stored, duplicate: true };
      const analysis = analyzeComplaint({ complaint, directory });
      const query = historyQueryFor({ complaint, subjects: analysis.subjectKeys, policy: directory.policy });
      const history = await loadHistory(tx, query);
      const decision = route({
        complaint,
        directory,
        history,
        analysis,
        clueId: newId(),
        decisionId: newId(),
        decidedAt: clock().toISOString(),
      });
      return tx.recordDecision({
        decision,
        openedAt: complaint.receivedAt,
        reporterHash: query.reporterHash,
        subjects: query.subjects,
      });
    });
  };
}

/**
 * Reads the history snapshot for one complaint inside its transaction, after locking its subjects and
 * reporter so that no concurrent decision can change the counts before this one is stored.
 *
 * @example
 * const history = await loadHistory(tx, historyQueryFor({ complaint, subjects, policy }));
 */
export async function loadHistory(tx: RouterStateTransaction, query: HistoryQuery): Promise<HistorySnapshot> {
  const keys = lockKeysOf(query);
  if (keys.length === 0) return { mergeTarget: null, recentClues: new Map() };
  await tx.lock(keys);
  return readHistory(tx, query);
}

/** The subject and reporter keys a complaint's decision depends on; none when it names no subject. */
export function lockKeysOf(query: HistoryQuery): string[] {
  if (query.subjects.length === 0) return [];
  return [...query.subjects, ...(query.reporterHash === null ? [] : [`reporter:${query.reporterHash}`])];
}

/** Reads history for a query whose keys the transaction already holds (see {@link lockKeysOf}). */
export async function readHistory(tx: RouterStateTransaction, query: HistoryQuery): Promise<HistorySnapshot> {
  if (query.subjects.length === 0) return { mergeTarget: null, recentClues: new Map() };
  const mergeTarget =
    query.reporterHash === null
      ? null
      : await tx.findMergeTarget({ reporterHash: query.reporterHash, subjects: query.subjects, since: query.mergeSince });
  const recentClues = await tx.countRecentClues({ subjects: query.subjects, since: query.repeatSince });
  return { mergeTarget, recentClues };
}

/** Per-call options of a batch router. */
export interface BatchRouteOptions {
  /**
   * The `ClueRouted` value (JSON text, exactly as it will be published) of a decision that opens a clue, by the
   * complaint's index in the batch. It is stored with the clue, and every later merge into the clue gets it back
   * as {@link BatchOutcome.opening}.
   */
  routedOf?: (decision: RoutingDecision, index: number) => string;
}

export interface BatchOutcome extends RecordOutcome {
  /**
   * For a merge (rule 8), new or redelivered: the stored opening `ClueRouted` text of the clue merged into, to be
   * published again right before the merge so the supplement never overtakes its clue. Null for a clue opening, or
   * when the target clue has none stored (opened before the router kept them, or by a caller without `routedOf`).
   */
  opening: string | null;
}

/**
 * Decides a batch of complaints in order, in ONE transaction, exactly as {@link createComplaintRouter} would
 * decide them one by one: every key the batch needs is locked up front in one sorted call (so concurrent batches
 * can never deadlock, and none changes this batch's history until it commits), then the stored decisions and the
 * history of the whole batch are read in one go, each complaint is decided in memory against that history plus
 * what the batch decided before it (rule 9 by id, rules 5 and 8 through the clues it opened), and all decisions
 * are stored in one write. The locks are held for three round trips per batch rather than 4–6 per complaint,
 * which is what lets the service keep up with the channel topics.
 *
 * @example
 * const routeBatch = createBatchRouter({ state, directory: holder.current });
 * const outcomes = await routeBatch(complaints); // one outcome per complaint, same order
 */
export function createBatchRouter(
  deps: ComplaintRouterDeps,
): (complaints: readonly Complaint[], options?: BatchRouteOptions) => Promise<BatchOutcome[]> {
  const newId = deps.newId ?? monotonicFactory();
  const clock = deps.clock ?? (() => new Date());

  return async function routeBatch(complaints, options = {}) {
    const directory = deps.directory();
    const prepared = complaints.map((complaint) => {
      const analysis = analyzeComplaint({ complaint, directory });
      const query = historyQueryFor({ complaint, subjects: analysis.subjectKeys, policy: directory.policy });
      return { complaint, analysis, query };
    });
    const keys = [...new Set(prepared.flatMap(({ query }) => lockKeysOf(query)))];
    const historyQuery = batchHistoryQueryOf(prepared.map(({ query }) => query));

    for (let attempt = 1; ; attempt += 1) {
      try {
        return await deps.state.withTransaction(async (tx) => {
          if (keys.length > 0) await tx.lock(keys);
          const read = await tx.readBatch({ complaintIds: complaints.map((complaint) => complaint.id), history: historyQuery });
          const decided = read.decisions;
          const clues = historyQuery && read.history ? createClueIndex({ rows: read.history, query: historyQuery }) : null;
          const outcomes: RecordOutcome[] = [];
          const records: DecisionRecord[] = [];
          for (const [index, { complaint, analysis, query }] of prepared.entries()) {
            const stored = decided.get(complaint.id);
            if (stored) {
              outcomes.push({ decision: stored, duplicate: true });
              continue;
            }
            const history = clues ? historyOf(clues, query) : emptyHistory;
            const ids = { clueId: newId(), decisionId: newId(), decidedAt: clock().toISOString() };
            const decision = route({ complaint, directory, history, analysis, ...ids });
            const { reporterHash, subjects } = query;
            // Later complaints of the batch see this one: rule 9 by id, rules 5 and 8 through the clue it opens.
            decided.set(complaint.id, decision);
            if (decision.mergedInto === null && clues) {
              clues.add({ clueId: decision.clueId, openedAtMs: Date.parse(complaint.receivedAt), subjects, reporterHash });
            }
            const routed = decision.mergedInto === null ? (options.routedOf?.(decision, index) ?? null) : null;
            records.push({ decision, openedAt: complaint.receivedAt, reporterHash, subjects, routed });
            outcomes.push({ decision, duplicate: false });
          }
          return withOpenings(tx, reconcile(outcomes, records, await tx.recordDecisions(records)));
        });
      } catch (error) {
        if (!(error instanceof HistoryConflict) || attempt >= maxAttempts) throw error;
      }
    }
  };
}

/**
 * A concurrent delivery stored a decision for a complaint this batch opened a clue with subjects for — only
 * possible when the two deciders analysed it differently (a directory reload in between), since the same
 * subjects are locked. Later complaints of the batch may have counted or merged into the discarded clue, so the
 * batch is decided again, against the stored decision.
 */
class HistoryConflict extends Error {
  constructor(readonly complaintId: string) {
    super(`complaint ${complaintId} was decided concurrently with other subjects; deciding the batch again`);
  }
}

/** Retries after {@link HistoryConflict}: a retry sees the conflicting decision, so one should do. */
const maxAttempts = 3;

/**
 * Outcomes with the decisions concurrent deliveries stored first. Exact only for complaints without subjects
 * (nothing else in the batch depended on them); any other conflict throws {@link HistoryConflict}.
 */
function reconcile(outcomes: RecordOutcome[], records: readonly DecisionRecord[], recorded: readonly RecordOutcome[]) {
  const replaced = new Map<string, RecordOutcome>();
  for (const [index, outcome] of recorded.entries()) {
    if (!outcome.duplicate) continue;
    const record = records[index] as DecisionRecord;
    if (record.subjects.length > 0) throw new HistoryConflict(record.decision.complaintId);
    replaced.set(record.decision.complaintId, outcome);
  }
  if (replaced.size === 0) return outcomes;
  return outcomes.map((outcome) => replaced.get(outcome.decision.complaintId) ?? outcome);
}

/**
 * Attaches to every merge of the batch (new or redelivered) its target clue's stored opening, in one read for all
 * targets; it sees the clues this transaction just recorded, so a target opened earlier in the batch is found too.
 */
async function withOpenings(tx: RouterStateTransaction, outcomes: readonly RecordOutcome[]): Promise<BatchOutcome[]> {
  const targets = [...new Set(outcomes.flatMap(({ decision }) => (decision.mergedInto === null ? [] : [decision.mergedInto])))];
  const openings = targets.length > 0 ? await tx.readOpenings(targets) : new Map<string, string>();
  return outcomes.map((outcome) => {
    const target = outcome.decision.mergedInto;
    return { ...outcome, opening: target === null ? null : (openings.get(target) ?? null) };
  });
}

/** One read for the whole batch: the union of the complaints' keys, from the earliest of their window starts. */
function batchHistoryQueryOf(queries: readonly HistoryQuery[]): BatchHistoryQuery | null {
  const withSubjects = queries.filter((query) => query.subjects.length > 0);
  if (withSubjects.length === 0) return null;
  const repeatStarts = withSubjects.map((query) => Date.parse(query.repeatSince));
  const reporters = withSubjects.filter((query) => query.reporterHash !== null);
  const earliest = (times: readonly number[]) => new Date(times.reduce((a, b) => Math.min(a, b))).toISOString();
  return {
    subjects: [...new Set(withSubjects.flatMap((query) => query.subjects))],
    repeatSince: {
      earliest: earliest(repeatStarts),
      latest: new Date(repeatStarts.reduce((a, b) => Math.max(a, b))).toISOString(),
    },
    reporterHashes: [...new Set(reporters.map((query) => query.reporterHash as string))],
    // With no reporter to merge for, nothing is read for rule 8 and any start will do.
    mergeSince: reporters.length > 0 ? earliest(reporters.map((query) => Date.parse(query.mergeSince))) : earliest(repeatStarts),
  };
}

/** The snapshot {@link readHistory} would read for `query`, from the batch's index. */
function historyOf(clues: ClueIndex, query: HistoryQuery): HistorySnapshot {
  if (query.subjects.length === 0) return emptyHistory;
  const { reporterHash, subjects } = query;
  return {
    mergeTarget:
      reporterHash === null ? null : clues.findMergeTarget({ reporterHash, subjects, sinceMs: Date.parse(query.mergeSince) }),
    recentClues: clues.countRecentClues(subjects, Date.parse(query.repeatSince)),
  };
}
