import { z } from "zod";
import { EvidenceRef, SubjectHints } from "./channels.js";
import { ComplaintChannel, RoutingDecision } from "./complaint.js";
import { SealedIdentity, WireReporter } from "./identity.js";
import { defineTopic } from "./topic.js";
import { topicNames, unitTopicName } from "./topic-names.js";

/**
 * The complaint as the router passes it on with its decision. The reporter stays sealed (only the closure
 * service, with `pii:read`, ever opens it); the text has contacts and the reporter's identity taken out.
 */
export const RoutedComplaint = z.object({
  complaintId: z.string().min(1),
  channel: ComplaintChannel,
  receivedAt: z.iso.datetime({ offset: true }),
  text: z.string(),
  reporter: WireReporter,
  /** The originals of the free text the edge scrubbed, sealed to the complaint; only the closure opens them. */
  sealedOriginal: SealedIdentity.optional(),
  subjects: SubjectHints.optional(),
  evidence: z.array(EvidenceRef),
  /** Where it came from: the hotline line and call, the intake form, the media outlet and programme. */
  origin: z.object({
    line: z.enum(["12345", "12388"]).optional(),
    callId: z.string().optional(),
    form: z.string().optional(),
    outlet: z.string().optional(),
    program: z.string().optional(),
    url: z.string().optional(),
    reach: z.number().int().min(0).optional(),
    /**
     * Rule 10: the `conduct.pattern-detected` event (its `ce_id`) this clue was opened or supplemented from. Such a
     * complaint has no reporter (kind anonymous, no receipt) and arrives as `intake`, the commission's own.
     */
    conductPattern: z.string().optional(),
  }),
});
export type RoutedComplaint = z.infer<typeof RoutedComplaint>;

/** One record on `clueline.clue.routed.v1`: the decision and the complaint it was made for. Keyed by clue id. */
export const ClueRouted = z.object({ decision: RoutingDecision, complaint: RoutedComplaint });
export type ClueRouted = z.infer<typeof ClueRouted>;

export const clueRoutedTopic = defineTopic({
  name: topicNames.clueRouted,
  type: "clueline.clue.routed",
  schema: ClueRouted,
  keyOf: (event) => event.decision.clueId,
});

/** A unit's part in a clue: 主办 lead, 协办 assist, 知会 informed, on the discipline, service or transfer track. */
export const UnitRole = z.object({
  track: z.enum(["discipline", "service", "transfer"]),
  role: z.enum(["lead", "assist", "informed"]),
});
export type UnitRole = z.infer<typeof UnitRole>;

/**
 * One record on `clueline.unit.<unitId>.v1`: what a unit's inspectors need to act, and nothing about who
 * reported beyond whether they gave their name (DESIGN §8).
 */
export const UnitClue = z.object({
  unitId: z.string().regex(/^[a-z0-9-]+$/),
  clueId: z.string(),
  complaintId: z.string(),
  decisionId: z.string(),
  roles: z.array(UnitRole).min(1),
  nature: RoutingDecision.shape.nature,
  categories: z.array(z.string()),
  subjects: z.object({ departments: z.array(z.string()), towns: z.array(z.string()) }),
  reasons: RoutingDecision.shape.reasons,
  mergedInto: z.string().nullable(),
  decidedAt: z.iso.datetime({ offset: true }),
  complaint: z.object({
    channel: ComplaintChannel,
    receivedAt: z.iso.datetime({ offset: true }),
    text: z.string(),
    evidence: z.array(EvidenceRef),
    reporterKind: z.enum(["anonymous", "real-name"]),
  }),
});
export type UnitClue = z.infer<typeof UnitClue>;

/** The typed topic of one unit's stream (optionally under a test prefix). */
export function unitClueTopic(unitId: string, prefix = "") {
  return defineTopic({
    name: prefix + unitTopicName(unitId),
    type: "clueline.unit.clue",
    schema: UnitClue,
    keyOf: (event) => event.clueId,
  });
}
