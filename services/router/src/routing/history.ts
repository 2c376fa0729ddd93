import type { Complaint } from "@clueline/contracts";
import type { Policy } from "../directory/index.js";

/** A department or town as history knows it: `department:dept-market`, `town:chengguan`. */
export type SubjectKey = `department:${string}` | `town:${string}`;

/**
 * @example
 * departmentKey("dept-market"); // "department:dept-market"
 */
export function departmentKey(id: string): SubjectKey {
  return `department:${id}`;
}

/**
 * @example
 * townKey("chengguan"); // "town:chengguan"
 */
export function townKey(id: string): SubjectKey {
  return `town:${id}`;
}

/** An open clue a real-name complaint may be merged into (rule 8). */
export interface MergeTarget {
  clueId: string;
  /** When the clue was opened: the `receivedAt` of the complaint that opened it. */
  openedAt: string;
  subjects: readonly SubjectKey[];
}

/**
 * The slice of history one decision needs, read before routing so that `route` stays pure and synchronous.
 * Merged complaints are not clues and are never counted (rule 7, last sentence).
 */
export interface HistorySnapshot {
  /** The most recently opened clue of the same real-name reporter sharing a subject, within the merge window. */
  mergeTarget: MergeTarget | null;
  /** Per subject, the clues opened since the start of the repeat window, this complaint not included. */
  recentClues: ReadonlyMap<SubjectKey, number>;
}

/** No history: every complaint opens a first clue. */
export const emptyHistory: HistorySnapshot = { mergeTarget: null, recentClues: new Map() };

/** What to read from history for one complaint; times are ISO-8601. */
export interface HistoryQuery {
  /** Null for anonymous reporters (they never merge) and when merging is switched off. */
  reporterHash: string | null;
  subjects: readonly SubjectKey[];
  mergeSince: string;
  repeatSince: string;
}

const DAY_MS = 86_400_000;

/**
 * The history query for a complaint whose subjects are known. Windows count back from `receivedAt`, not from
 * the moment of routing, so replaying a backlog (or the CLI) decides as the live system would have.
 *
 * @example
 * const query = historyQueryFor({ complaint, subjects: analysis.subjectKeys, policy: directory.policy });
 */
export function historyQueryFor(params: { complaint: Complaint; subjects: readonly SubjectKey[]; policy: Policy }): HistoryQuery {
  const { complaint, subjects, policy } = params;
  const received = Date.parse(complaint.receivedAt);
  const merging = complaint.reporter.kind === "real-name" && policy.mergeWindowDays > 0 && subjects.length > 0;
  return {
    reporterHash: merging && complaint.reporter.kind === "real-name" ? complaint.reporter.hash : null,
    subjects,
    mergeSince: new Date(received - policy.mergeWindowDays * DAY_MS).toISOString(),
    repeatSince: new Date(received - policy.repeatWindowDays * DAY_MS).toISOString(),
  };
}
