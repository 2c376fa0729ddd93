import { ClueRouted, type ConductPatternDetected, type DecisionReason, type RoutingDecision } from "@clueline/contracts";
import type { CompiledDirectory } from "../directory/index.js";
import { derivedUlid } from "./create-rerouter.js";

/** Conduct categories nearest to a department that keeps businesses waiting, in order of preference. */
const CLOSEST_CONDUCT = ["shirking", "inaction", "sloth", "bureaucratism", "formalism"];

const WHAT: Record<ConductPatternDetected["kinds"][number], string> = {
  overdue: "overdue service assignments",
  dissatisfied: "dissatisfied call-backs",
  "return-upheld": "upheld returns",
};

/**
 * Rule 10: the closure saw a department's service failures cross `policy.conductFromService`; this is the discipline
 * clue about the department (or, while one is open, the supplement to it). The stationed team covering the
 * department leads (the commission when none does; informed otherwise, rule 6); the reasons list the service clues
 * and what happened on each. Everything is derived from the event (ids from its `ce_id`, time from its
 * `occurredAt`), so a redelivery yields the same decision, which the closure applies once. No reporter exists:
 * the complaint is anonymous with no receipt, and the service clues' complainants stay where they were.
 *
 * @example
 * const routed = conductClue({ eventId: attributes.id, pattern: data, directory: holder.current() });
 */
export function conductClue(input: {
  eventId: string;
  pattern: ConductPatternDetected;
  directory: CompiledDirectory;
}): ClueRouted {
  const { eventId, pattern, directory } = input;
  const dc = directory.districtCommission;
  const department = directory.departments.get(pattern.department);
  const team = directory.coveringTeam.get(pattern.department);
  const lead = team ?? dc;
  const category = conductCategory(directory);
  const name = department ? `${department.name} (${pattern.department})` : pattern.department;
  const counts = pattern.kinds.map((kind) => {
    const seen = pattern.evidence.filter((failure) => failure.kind === kind).length;
    return `${seen} ${WHAT[kind]}`;
  });
  const clues = [...new Set(pattern.evidence.map((failure) => failure.clueId))];
  const reasons: DecisionReason[] = [
    {
      rule: 10,
      detail:
        pattern.mode === "open"
          ? `${name}: ${counts.join(", ")} within ${pattern.window.days} days (${pattern.window.from} – ${pattern.window.to}) crossed policy.conductFromService: a discipline clue about the department`
          : `${name}: ${counts.join(", ")} more while its conduct clue is open: supplemented`,
      matched: clues,
    },
    ...pattern.evidence.map((failure) => ({
      rule: 10,
      detail: `service clue ${failure.clueId}: ${failure.detail} (${failure.occurredAt})`,
      matched: [failure.clueId],
    })),
  ];
  if (pattern.mode === "open") {
    reasons.push({
      rule: 4,
      detail: team
        ? `${team} covers ${pattern.department}: it leads; ${dc} is informed`
        : `no stationed team covers ${pattern.department}: ${dc} leads`,
      matched: [pattern.department],
    });
  }
  const complaintId = `conduct-${eventId}`;
  const decision: RoutingDecision = {
    decisionId: derivedUlid(eventId, "conduct"),
    complaintId,
    clueId: pattern.clueId,
    nature: "discipline",
    categories: category ? [category] : [],
    subjects: { departments: [pattern.department], towns: [] },
    discipline: pattern.mode === "open" ? { lead, assist: [], informed: lead === dc ? [] : [dc] } : null,
    service: null,
    transfer: null,
    mergedInto: pattern.mode === "open" ? null : pattern.clueId,
    reasons,
    decidedAt: pattern.occurredAt,
  };
  const text = reasons
    .filter((reason) => reason.rule === 10)
    .map((reason) => reason.detail)
    .join("\n");
  return ClueRouted.parse({
    decision,
    complaint: {
      complaintId,
      channel: "intake",
      receivedAt: pattern.occurredAt,
      text,
      reporter: { kind: "anonymous" },
      evidence: [],
      origin: { form: "conduct-pattern", conductPattern: eventId },
    },
  });
}

/** The policy's category when the taxonomy has it as a conduct category, else the closest one the taxonomy has. */
function conductCategory(directory: CompiledDirectory): string | undefined {
  const isConduct = (code: string | undefined) =>
    code !== undefined && directory.categories.get(code)?.category.kind === "conduct";
  const chosen = directory.policy.conductFromService.category;
  if (isConduct(chosen)) return chosen;
  const closest = CLOSEST_CONDUCT.find(isConduct);
  if (closest) return closest;
  return directory.source.categories.find((category) => category.kind === "conduct")?.code;
}
