import type { Complaint, DecisionReason, RoutingDecision } from "@clueline/contracts";
import type { CompiledDirectory } from "../directory/index.js";
import { analyzeComplaint, type ComplaintAnalysis } from "./analyze-complaint.js";
import { disciplineTrack } from "./discipline-track.js";
import type { HistorySnapshot, MergeTarget } from "./history.js";
import { serviceTrack } from "./service-track.js";

/** What `route` needs besides the complaint; ids and time are inputs so that the function stays pure. */
export interface RouteParams {
  complaint: Complaint;
  directory: CompiledDirectory;
  history: HistorySnapshot;
  /** The id the clue gets if this complaint opens one (ignored when it is merged). */
  clueId: string;
  decisionId: string;
  decidedAt: string;
  /** Pass the analysis the history was read for, to avoid scanning the text twice. */
  analysis?: ComplaintAnalysis;
}

/**
 * The routing policy of DESIGN §6, rules 1–8, as a pure synchronous function of the complaint, the
 * directory and a snapshot of history. Rule 9 (idempotence) belongs to the caller, which must look the
 * complaint id up before routing: see `createComplaintRouter`.
 *
 * @example
 * const decision = route({ complaint, directory, history: emptyHistory, clueId: ulid(), decisionId: ulid(), decidedAt: new Date().toISOString() });
 * decision.discipline?.lead; // "town-chengguan"
 */
export function route(params: RouteParams): RoutingDecision {
  const { complaint, directory, history } = params;
  const analysis = params.analysis ?? analyzeComplaint({ complaint, directory });
  const reasons: DecisionReason[] = [...analysis.reasons];
  // Keys in the order of the RoutingDecision schema, so a decision read back from storage prints the same.
  const decision = (
    parts: Pick<RoutingDecision, "clueId" | "discipline" | "service" | "transfer" | "mergedInto">,
  ): RoutingDecision => ({
    decisionId: params.decisionId,
    complaintId: complaint.id,
    clueId: parts.clueId,
    nature: analysis.nature,
    categories: analysis.categories.map((hit) => hit.category.code),
    subjects: { departments: analysis.departments, towns: analysis.towns },
    discipline: parts.discipline,
    service: parts.service,
    transfer: parts.transfer,
    mergedInto: parts.mergedInto,
    reasons,
    decidedAt: params.decidedAt,
  });

  const merge = mergeable({ complaint, analysis, target: history.mergeTarget, windowDays: directory.policy.mergeWindowDays });
  if (merge !== null) {
    reasons.push({
      rule: 8,
      detail: `same real-name reporter and subject as clue ${merge.target.clueId} opened ${merge.target.openedAt}: merged as a supplement, no new assignments (the ledger reopens the lead work of a clue already concluded, fed back or closed)`,
      matched: merge.shared,
    });
    const clueId = merge.target.clueId;
    return decision({ clueId, discipline: null, service: null, transfer: null, mergedInto: clueId });
  }

  let discipline: RoutingDecision["discipline"] = null;
  let service: RoutingDecision["service"] = null;
  let transfer: RoutingDecision["transfer"] = null;
  if (analysis.nature === "unclassified") {
    discipline = { lead: directory.districtCommission, assist: [], informed: [] };
    reasons.push({ rule: 7, detail: `unclassified: ${directory.districtCommission} leads for triage (分办)` });
  }
  if (analysis.nature === "discipline" || analysis.nature === "both") {
    const outcome = disciplineTrack({ complaint, directory, analysis, history });
    ({ discipline, transfer } = outcome);
    reasons.push(...outcome.reasons);
  }
  if (analysis.nature === "service" || analysis.nature === "both") {
    const outcome = serviceTrack({ directory, analysis });
    service = outcome.service;
    reasons.push(...outcome.reasons);
  }
  return decision({ clueId: params.clueId, discipline, service, transfer, mergedInto: null });
}

/**
 * Rule 8, re-checked on the snapshot so that the rule holds whatever history is passed in: real-name only,
 * at least one shared subject, opened within the window before this complaint. The window counts from the clue's
 * opening, whatever became of the clue since: the router holds the reporter's history, not the clue's state. What a
 * supplement does is the ledger's to decide (it reopens a concluded, fed-back or closed clue); past the window the
 * complaint opens a new clue here, so a finished clue is never reopened by a complaint the window would not merge.
 */
function mergeable(params: {
  complaint: Complaint;
  analysis: ComplaintAnalysis;
  target: MergeTarget | null;
  windowDays: number;
}): { target: MergeTarget; shared: string[] } | null {
  const { complaint, analysis, target, windowDays } = params;
  if (target === null || windowDays === 0 || complaint.reporter.kind !== "real-name") return null;
  const shared = analysis.subjectKeys.filter((key) => target.subjects.includes(key));
  const age = Date.parse(complaint.receivedAt) - Date.parse(target.openedAt);
  if (shared.length === 0 || age > windowDays * 86_400_000) return null;
  return { target, shared };
}
