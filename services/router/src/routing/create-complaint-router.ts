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
  if (query.subjects.length === 0) return { mergeTarget: null, recentClues: new Map() };
  await tx.lock([...query.subjects, ...(query.reporterHash === null ? [] : [`reporter:${query.reporterHash}`])]);
  const mergeTarget =
    query.reporterHash === null
      ? null
      : await tx.findMergeTarget({ reporterHash: query.reporterHash, subjects: query.subjects, since: query.mergeSince });
  const recentClues = await tx.countRecentClues({ subjects: query.subjects, since: query.repeatSince });
  return { mergeTarget, recentClues };
}
