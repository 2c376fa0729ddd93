import type { ClueTransfer, Complaint, DecisionReason, DisciplineAssignment } from "@clueline/contracts";
import type { CompiledDirectory } from "../directory/index.js";
import type { ComplaintAnalysis } from "./analyze-complaint.js";
import { escalationReasons } from "./escalation.js";
import type { HistorySnapshot } from "./history.js";

export interface DisciplineOutcome {
  discipline: DisciplineAssignment | null;
  transfer: ClueTransfer | null;
  reasons: DecisionReason[];
}

/**
 * Rules 3 to 6: transfer out, choose the lead (主办) and assisting units (协办), escalate, and keep the
 * district commission informed (归口管理). Call only for nature `discipline` or `both`.
 *
 * @example
 * const { discipline, transfer } = disciplineTrack({ complaint, directory, analysis, history });
 */
export function disciplineTrack(params: {
  complaint: Complaint;
  directory: CompiledDirectory;
  analysis: ComplaintAnalysis;
  history: HistorySnapshot;
}): DisciplineOutcome {
  const { complaint, directory, analysis } = params;
  const dc = directory.districtCommission;
  const reasons: DecisionReason[] = [];

  const transferRanks = (complaint.subjects?.persons ?? []).flatMap((p) =>
    p.rank && directory.transferRanks.has(p.rank) ? [p.rank] : [],
  );
  if (transferRanks.length > 0) {
    const to = directory.policy.transferTo;
    reasons.push({
      rule: 3,
      detail: `a person of rank ${unique(transferRanks).join(", ")} is named: the whole clue is transferred to ${to}; ${dc} is informed`,
      matched: unique(transferRanks),
    });
    return { discipline: null, transfer: { to, alsoTo: [], informed: [dc] }, reasons };
  }

  // Each subject proposes either a unit inside the district or a transfer to an outside body.
  const units: string[] = [];
  const bodies: string[] = [];
  for (const id of analysis.departments) {
    const external = directory.departments.get(id)?.external;
    if (external !== undefined) add(bodies, external);
    else add(units, directory.coveringTeam.get(id) ?? dc);
  }
  for (const id of analysis.towns) add(units, directory.townCommittee.get(id) ?? dc);

  const escalations = escalationReasons(params);
  const [to, ...alsoTo] = bodies;
  const transfer: ClueTransfer | null = to === undefined ? null : { to, alsoTo, informed: [dc] };
  if (transfer !== null && units.length === 0) {
    reasons.push({
      rule: 3,
      detail: `every subject is outside the district: transferred to ${bodies.join(", ")}; ${dc} is informed`,
      matched: bodies,
    });
    // Escalation needs a lead inside the district; note what would have fired so the commission sees it.
    for (const reason of escalations)
      reasons.push({ ...reason, detail: `${reason.detail} (not applied: the clue is transferred)` });
    return { discipline: null, transfer, reasons };
  }
  if (transfer !== null) {
    reasons.push({
      rule: 3,
      detail: `transfer to ${bodies.join(", ")} recorded beside the lead inside the district`,
      matched: bodies,
    });
  }

  let lead: string;
  if (escalations.length > 0) {
    lead = dc;
    reasons.push(...escalations);
  } else if (units.length === 1 && units[0] !== undefined) {
    lead = units[0];
    reasons.push({ rule: 4, detail: `one unit proposed: ${lead} leads`, matched: [lead] });
  } else if (units.length > 1) {
    lead = dc;
    reasons.push({
      rule: 4,
      detail: `several units proposed (室组地联动): ${dc} leads, ${without(units, dc).join(", ")} assist`,
      matched: units,
    });
  } else {
    lead = dc;
    reasons.push({ rule: 4, detail: `no unit proposed: ${dc} leads for triage (分办)` });
  }
  const assist = lead === dc ? without(units, dc) : [];
  const informed = lead === dc ? [] : [dc];
  if (lead !== dc) reasons.push({ rule: 6, detail: `${dc} is informed (central registration 归口管理)` });
  return { discipline: { lead, assist, informed }, transfer, reasons };
}

function add(list: string[], id: string): void {
  if (!list.includes(id)) list.push(id);
}

function unique(list: readonly string[]): string[] {
  return [...new Set(list)];
}

function without(list: readonly string[], id: string): string[] {
  return list.filter((item) => item !== id);
}
