import type { OutgoingRecord } from "@clueline/bus";
import {
  ClueRouted,
  clueRoutedTopic,
  type RoutedComplaint,
  type RoutingDecision,
  type UnitRole,
  unitClueTopic,
} from "@clueline/contracts";

/** Every unit the decision involves, with its roles. External bodies (transfer targets) are not units. */
export function unitRolesOf(decision: RoutingDecision): Map<string, UnitRole[]> {
  const roles = new Map<string, UnitRole[]>();
  const add = (unitId: string, role: UnitRole) => roles.set(unitId, [...(roles.get(unitId) ?? []), role]);
  const { discipline, service, transfer } = decision;
  if (discipline) {
    add(discipline.lead, { track: "discipline", role: "lead" });
    for (const unit of discipline.assist) add(unit, { track: "discipline", role: "assist" });
    for (const unit of discipline.informed) add(unit, { track: "discipline", role: "informed" });
  }
  if (service) {
    for (const unit of [service.lead, ...service.coLeads]) add(unit, { track: "service", role: "lead" });
    for (const unit of service.informed) add(unit, { track: "service", role: "informed" });
  }
  for (const unit of transfer?.informed ?? []) add(unit, { track: "transfer", role: "informed" });
  return roles;
}

/**
 * The records one decision produces: the decision with its complaint on `clueline.clue.routed.v1`, and one
 * record per involved unit on its own stream, without the reporter. Event ids come from the stored decision,
 * so a redelivered complaint republishes byte-identical events that consumers drop as duplicates.
 * A merged complaint (rule 8) opens no assignments, so it goes to the routed topic only.
 */
export function fanOut(options: {
  decision: RoutingDecision;
  complaint: RoutedComplaint;
  topicPrefix: string;
  /** The decision's routed record when it was already built (by {@link routedRecordOf}, to store its value). */
  routed?: OutgoingRecord;
}): OutgoingRecord[] {
  const { decision, complaint, topicPrefix } = options;
  const records: OutgoingRecord[] = [options.routed ?? routedRecordOf({ decision, complaint }, topicPrefix)];
  if (decision.mergedInto !== null) return records;
  for (const [unitId, roles] of unitRolesOf(decision)) {
    const topic = unitClueTopic(unitId, topicPrefix);
    const data = {
      unitId,
      clueId: decision.clueId,
      complaintId: decision.complaintId,
      decisionId: decision.decisionId,
      roles,
      nature: decision.nature,
      categories: decision.categories,
      subjects: decision.subjects,
      reasons: decision.reasons,
      mergedInto: decision.mergedInto,
      decidedAt: decision.decidedAt,
      complaint: {
        channel: complaint.channel,
        receivedAt: complaint.receivedAt,
        text: complaint.text,
        evidence: complaint.evidence,
        reporterKind: complaint.reporter.kind,
      },
    };
    // One source per unit stream keeps `ce_source + ce_id` unique while the id stays the decision's.
    records.push({
      topic: topic.name,
      ...topic.serialize(data, { source: `/clueline/router/units/${unitId}`, id: decision.decisionId, time: decision.decidedAt }),
    });
  }
  return records;
}

/** The decision's record on `clueline.clue.routed.v1`; its event id is the decision's. */
export function routedRecordOf(routed: ClueRouted, topicPrefix: string): OutgoingRecord {
  const { decision } = routed;
  return {
    topic: topicPrefix + clueRoutedTopic.name,
    ...clueRoutedTopic.serialize(routed, { source: "/clueline/router", id: decision.decisionId, time: decision.decidedAt }),
  };
}

/**
 * A routed record's value as text, exactly as {@link fanOut} publishes it: what the router stores for a clue's
 * opening decision, to republish with {@link openingRecordOf}.
 */
export function storedValueOf(record: OutgoingRecord): string {
  const { value } = record;
  return typeof value === "string" ? value : String(value?.toString("utf8"));
}

/**
 * A clue's opening routed record again, from its stored value: the same headers (so the same `ce_id`), key and
 * bytes as first published, so consumers drop it as a duplicate. It goes right before a merge into the clue, in
 * the same publish, so the supplement can never reach a consumer before the clue it supplements.
 */
export function openingRecordOf(stored: string, topicPrefix: string): OutgoingRecord {
  const routed = ClueRouted.parse(JSON.parse(stored));
  return { ...routedRecordOf(routed, topicPrefix), value: Buffer.from(stored) };
}

/**
 * Everyone who gets a stream: the discipline units, and the departments, which lead service-track clues about
 * themselves (行业部门横向监督). External bodies get none: a transfer leaves the district.
 */
export function streamOwners(directory: {
  source: { units: { id: string }[]; departments: { id: string; external?: string | undefined }[] };
}): string[] {
  const departments = directory.source.departments
    .filter((department) => !department.external)
    .map((department) => department.id);
  return [...directory.source.units.map((unit) => unit.id), ...departments];
}
