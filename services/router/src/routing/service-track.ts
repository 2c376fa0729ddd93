import type { DecisionReason, ServiceAssignment } from "@clueline/contracts";
import type { CompiledDirectory } from "../directory/index.js";
import type { ComplaintAnalysis } from "./analyze-complaint.js";
import { evidenceOf } from "./match-categories.js";

/**
 * Rule 7, service track (nature `service` or `both`): every department subject leads its own service
 * assignment; with none, the owner of the first matched service category that has one (directory order),
 * else `serviceFallback`. `serviceOverseer` is informed unless it already leads.
 *
 * @example
 * serviceTrack({ directory, analysis }).service?.lead; // "dept-market"
 */
export function serviceTrack(params: { directory: CompiledDirectory; analysis: ComplaintAnalysis }): {
  service: ServiceAssignment;
  reasons: DecisionReason[];
} {
  const { directory, analysis } = params;
  const { policy } = directory;
  const reasons: DecisionReason[] = [];
  let leads: string[];
  if (analysis.departments.length > 0) {
    leads = [...analysis.departments];
    reasons.push({
      rule: 7,
      detail: `each department subject leads its own service assignment: ${leads.join(", ")}`,
      matched: leads,
    });
  } else {
    const owned = analysis.categories.find((hit) => hit.category.kind === "service" && hit.category.owner !== undefined);
    const owner = owned?.category.owner;
    if (owned && owner !== undefined) {
      leads = [owner];
      reasons.push({
        rule: 7,
        detail: `no department named: ${owner} leads as owner of ${owned.category.name} (${owned.category.code})`,
        matched: evidenceOf(owned),
      });
    } else {
      leads = [policy.serviceFallback];
      reasons.push({
        rule: 7,
        detail: `no department named and no owning category: ${policy.serviceFallback} leads (serviceFallback)`,
      });
    }
  }
  const [lead = policy.serviceFallback, ...coLeads] = leads;
  const informed = leads.includes(policy.serviceOverseer) ? [] : [policy.serviceOverseer];
  if (informed.length > 0) reasons.push({ rule: 7, detail: `${policy.serviceOverseer} is informed (serviceOverseer)` });
  return { service: { lead, coLeads, informed }, reasons };
}
