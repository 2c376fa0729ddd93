import type { Complaint, DecisionReason } from "@clueline/contracts";
import type { CompiledDirectory } from "../directory/index.js";
import type { ComplaintAnalysis } from "./analyze-complaint.js";
import type { HistorySnapshot } from "./history.js";
import { evidenceOf } from "./match-categories.js";

/**
 * Rule 5: one reason per trigger that makes the district commission lead: a senior person, an escalating
 * category, a wide media exposure, or the `repeatEscalateAt`-th clue on one subject within the window.
 * Empty when nothing escalates.
 *
 * @example
 * escalationReasons({ complaint, directory, analysis, history }).length > 0; // the commission leads
 */
export function escalationReasons(params: {
  complaint: Complaint;
  directory: CompiledDirectory;
  analysis: ComplaintAnalysis;
  history: HistorySnapshot;
}): DecisionReason[] {
  const { complaint, directory, analysis, history } = params;
  const { policy } = directory;
  const reasons: DecisionReason[] = [];

  const senior = [
    ...new Set((complaint.subjects?.persons ?? []).flatMap((p) => (p.rank && directory.seniorRanks.has(p.rank) ? [p.rank] : []))),
  ];
  if (senior.length > 0)
    reasons.push({ rule: 5, detail: `a person of senior rank ${senior.join(", ")} is named`, matched: senior });

  for (const hit of analysis.categories) {
    const { category } = hit;
    if (category.escalate)
      reasons.push({ rule: 5, detail: `category ${category.name} (${category.code}) escalates`, matched: evidenceOf(hit) });
  }

  const reach = complaint.media?.reach;
  if (complaint.channel === "media" && reach !== undefined && reach >= policy.mediaReachEscalateAt) {
    const program = complaint.media?.program;
    reasons.push({
      rule: 5,
      detail: `media exposure reached ${reach} (threshold ${policy.mediaReachEscalateAt})`,
      ...(program ? { matched: [program] } : {}),
    });
  }

  for (const subject of analysis.subjectKeys) {
    const clue = (history.recentClues.get(subject) ?? 0) + 1;
    if (clue >= policy.repeatEscalateAt) {
      reasons.push({
        rule: 5,
        detail: `${ordinal(clue)} clue about ${subject} within ${policy.repeatWindowDays} days`,
        matched: [subject],
      });
    }
  }
  return reasons;
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th");
  return `${n}${suffix}`;
}
