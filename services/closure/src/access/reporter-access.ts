import type { AssignmentCause, AssignmentState } from "@clueline/contracts";
import { type Caller, hasScope, unitsOf } from "@clueline/kit";

/** Where one unit stands on a clue: an assignment on a track, a transfer recipient, or informed. */
export interface CluePart {
  unitId: string;
  /** `transfer`: a body outside the district the clue went to (转送); null where the ledger keeps no track (informed). */
  track: "discipline" | "service" | "transfer" | null;
  role: "lead" | "assist" | "informed";
  /** The assignment's state; null for informed units and transfer recipients, which hold no assignment. */
  state: AssignmentState | null;
  /** How the assignment came; null without one. */
  cause: AssignmentCause | null;
}

/** What the ledger knows about a clue that decides who may open its reporter's identity. */
export interface ReporterClueFacts {
  parts: readonly CluePart[];
  /** The departments the complaint is about (its subjects). */
  subjects: readonly string[];
  /** A call-back (回访) on the clue is due, so the hotline must phone the reporter. */
  callBackDue: boolean;
}

export type ReporterAccess =
  | { allowed: true; basis: "commission" | "discipline-lead" | "call-back" }
  /** 403 only for a caller without `pii:read`, which says nothing about the clue; every other refusal looks like no clue. */
  | { allowed: false; status: 403 | 404 };

/** Assignments still holding the clue; rejected (不予受理) and transferred (转送) ones handed it on. */
const HOLDING: ReadonlySet<AssignmentState> = new Set(["assigned", "accepted", "in-progress", "concluded"]);

/**
 * DESIGN §8 "Who may open a reporter's identity", the one place it is decided: with `pii:read`, the commission for
 * any clue; a discipline body (district commission unit, stationed team, town committee) for a clue whose
 * discipline track it leads; a hotline operator (`complaint:write`) while a call-back on the clue is due. Never
 * a department (above all one the complaint is about), an assisting or informed unit, `downstream:read` or
 * `media:write`. `clue` null: no such clue.
 *
 * A unit's kind is not in the ledger; its discipline assignments tell it. The router puts on the discipline track
 * only units of the directory's `units` (its district-commission, stationed-team and town-committee entries:
 * services/router/src/routing/discipline-track.ts), and the directory keeps unit and department ids apart
 * (cross-check-bodies.ts), so a discipline assignment made by routing, or by escalation to the commission, is held
 * by a discipline body. A unit's transfer inside the district may name any unit, a department too, so a lead that
 * came by transfer counts only when its unit is in `disciplineBodies` (seen on a routed discipline track).
 *
 * @example
 * decideReporterAccess({ caller, clue: facts, disciplineBodies: new Set() }); // { allowed: false, status: 404 }
 */
export function decideReporterAccess(input: {
  caller: Caller;
  clue: ReporterClueFacts | null;
  disciplineBodies: ReadonlySet<string>;
}): ReporterAccess {
  const { caller, clue } = input;
  if (!hasScope(caller, "pii:read")) return { allowed: false, status: 403 };
  if (clue === null) return { allowed: false, status: 404 };
  if (hasScope(caller, "commission")) return { allowed: true, basis: "commission" };
  const leads = disciplineLeads(clue, input.disciplineBodies);
  if (unitsOf(caller).some((unitId) => leads.has(unitId))) return { allowed: true, basis: "discipline-lead" };
  if (hasScope(caller, "complaint:write") && clue.callBackDue) return { allowed: true, basis: "call-back" };
  return { allowed: false, status: 404 };
}

/**
 * The discipline bodies leading the clue's discipline track now. Once the commission took a clue over by
 * escalation, the leads the reporter was dissatisfied with no longer lead it. A subject never counts.
 */
function disciplineLeads(clue: ReporterClueFacts, disciplineBodies: ReadonlySet<string>): Set<string> {
  const holding = clue.parts.filter(
    (part) => part.track === "discipline" && part.role === "lead" && part.state !== null && HOLDING.has(part.state),
  );
  const escalated = holding.filter((part) => part.cause === "escalation");
  const current = escalated.length > 0 ? escalated : holding;
  return new Set(
    current
      .filter((part) => part.cause !== "transfer" || disciplineBodies.has(part.unitId))
      .filter((part) => !clue.subjects.includes(part.unitId))
      .map((part) => part.unitId),
  );
}
