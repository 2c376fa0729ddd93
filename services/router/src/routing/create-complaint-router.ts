import type { Complaint } from "@clueline/contracts";
import { monotonicFactory } from "ulid";
import type { CompiledDirectory } from "../directory/index.js";
import type { RecordOutcome, RouterState, RouterStateTransaction } from "../state/router-state.js";
import { analyzeComplaint } from "./analyze-complaint.js";
import { type HistoryQuery, type HistorySnapshot, historyQueryFor } from "./history.js";
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

/**
 * Decides a batch of complaints in order, in ONE transaction: every key the batch needs is locked up front in
 * one sorted call (so concurrent batches can never deadlock), then each complaint is decided as
 * {@link createComplaintRouter} would, seeing the decisions stored earlier in the same batch. One transaction
 * per batch instead of per complaint is what lets the service keep up with the channel topics.
 *
 * @example
 * const routeBatch = createBatchRouter({ state, directory: holder.current });
 * const outcomes = await routeBatch(complaints); // one outcome per complaint, same order
 */
export function createBatchRouter(deps: ComplaintRouterDeps): (complaints: readonly Complaint[]) => Promise<RecordOutcome[]> {
  const newId = deps.newId ?? monotonicFactory();
  const clock = deps.clock ?? (() => new Date());

  return async function routeBatch(complaints) {
    const directory = deps.directory();
    const prepared = complaints.map((complaint) => {
      const analysis = analyzeComplaint({ complaint, directory });
      const query = historyQueryFor({ complaint, subjects: analysis.subjectKeys, policy: directory.policy });
      return { complaint, analysis, query };
    });
    const keys = [...new Set(prepared.flatMap(({ query }) => lockKeysOf(query)))];
    return deps.state.withTransaction(async (tx) => {
      if (keys.length > 0) await tx.lock(keys);
      const outcomes: RecordOutcome[] = [];
      for (const { complaint, analysis, query } of prepared) {
        const stored = await tx.getDecision(complaint.id);
        if (stored) {
          outcomes.push({ decision: stored, duplicate: true });
          continue;
        }
        const history = await readHistory(tx, query);
        const decision = route({
          complaint,
          directory,
          history,
          analysis,
          clueId: newId(),
          decisionId: newId(),
          decidedAt: clock().toISOString(),
        });
        outcomes.push(
          await tx.recordDecision({
            decision,
            openedAt: complaint.receivedAt,
            reporterHash: query.reporterHash,
            subjects: query.subjects,
          }),
        );
      }
      return outcomes;
    });
  };
}
