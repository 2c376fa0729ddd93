import { z } from "zod";

/**
 * The normalized complaint the router decides on (DESIGN §6), and the routing decision it publishes.
 * Both cross process boundaries (Kafka, the router's state store, the CLI), so both are parsed there.
 */

/** Ids of directory entries (units, departments, towns, external bodies): DESIGN §5. */
const DirectoryId = z.string().regex(/^[a-z0-9-]+$/, { error: "must match [a-z0-9-]+" });
const Ulid = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, { error: "must be a ULID" });
const Timestamp = z.iso.datetime({ offset: true });

/** The edge a complaint arrived through; each has its own `clueline.<channel>.received.v1` topic. */
export const ComplaintChannel = z.enum(["hotline", "intake", "media"]);
export type ComplaintChannel = z.infer<typeof ComplaintChannel>;

/**
 * Who reported. Identity itself travels encrypted elsewhere; the router only ever sees the keyed hash of a
 * real-name reporter (实名), which is what lets rule 8 merge without decrypting. Anonymous (匿名) reporters
 * carry no hash at all, so a stray one is refused rather than silently enabling a merge.
 */
export const ComplaintReporter = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("anonymous"),
    hash: z.undefined({ error: "an anonymous reporter has no hash" }).optional(),
  }),
  z.object({
    kind: z.literal("real-name"),
    hash: z.string().regex(/^[A-Za-z0-9_+/=-]{16,256}$/, { error: "must be a keyed hash (16–256 base64/hex chars)" }),
  }),
]);
export type ComplaintReporter = z.infer<typeof ComplaintReporter>;

/**
 * A person complained about. `rank` is compared as is with the directory policy's rank lists (rules 3 and 5);
 * a rank the directory does not list simply neither escalates nor transfers.
 */
export const ComplaintPerson = z.object({
  name: z.string().min(1).max(100).optional(),
  rank: z.string().min(1).max(40).optional(),
});
export type ComplaintPerson = z.infer<typeof ComplaintPerson>;

/** Subjects named by the channel itself; when any department or town id is given, text scanning is skipped. */
export const ComplaintSubjects = z.object({
  departments: z.array(DirectoryId).max(50).optional(),
  towns: z.array(DirectoryId).max(50).optional(),
  persons: z.array(ComplaintPerson).max(50).optional(),
});
export type ComplaintSubjects = z.infer<typeof ComplaintSubjects>;

/**
 * A complaint or report as the router sees it, whatever channel it came from.
 *
 * @example
 * const complaint = Complaint.parse({
 *   id: "01J9Z3K4M5N6P7Q8R9S0T1V2W3",
 *   channel: "hotline",
 *   receivedAt: "2024-05-06T09:30:00+08:00",
 *   text: "反映城关镇政府工作人员办事吃拿卡要",
 *   reporter: { kind: "anonymous" },
 * });
 */
export const Complaint = z.object({
  id: z.string().regex(/^[\w.:-]{1,128}$/, { error: "must be 1–128 characters of letters, digits, _ . : -" }),
  channel: ComplaintChannel,
  receivedAt: Timestamp,
  text: z.string().min(1).max(100_000),
  reporter: ComplaintReporter,
  subjects: ComplaintSubjects.optional(),
  /**
   * Category codes an operator or a form chose (工单分类). The router matches those its taxonomy knows (rule 1)
   * and ignores the others with a reason; the edges refuse unknown codes.
   */
  categoryHints: z.array(DirectoryId).max(20).optional(),
  media: z.object({ reach: z.int().min(0).optional(), program: z.string().max(200).optional() }).optional(),
});
export type Complaint = z.infer<typeof Complaint>;

/** discipline: only conduct categories matched; service: only service ones; both; unclassified: none. */
export const ClueNature = z.enum(["discipline", "service", "both", "unclassified"]);
export type ClueNature = z.infer<typeof ClueNature>;

/** Why the router decided what it did: the DESIGN §6 rule number (or a name) and the words that fired it. */
export const DecisionReason = z.object({
  rule: z.union([z.int().min(1).max(10), z.string().min(1)]),
  detail: z.string().min(1),
  matched: z.array(z.string()).optional(),
});
export type DecisionReason = z.infer<typeof DecisionReason>;

/** The discipline track (纪检监督): one lead (主办), assisting units (协办), informed units (知会). */
export const DisciplineAssignment = z.object({
  lead: DirectoryId,
  assist: z.array(DirectoryId),
  informed: z.array(DirectoryId),
});
export type DisciplineAssignment = z.infer<typeof DisciplineAssignment>;

/**
 * The service track (行业部门横向监督). Rule 7 gives every department subject its own service assignment:
 * `lead` is the first, `coLeads` the others (each leads its own assignment, none assists another).
 */
export const ServiceAssignment = z.object({
  lead: DirectoryId,
  coLeads: z.array(DirectoryId),
  informed: z.array(DirectoryId),
});
export type ServiceAssignment = z.infer<typeof ServiceAssignment>;

/** A transfer (转送) to a body outside the district; `alsoTo` only when subjects name several such bodies. */
export const ClueTransfer = z.object({
  to: DirectoryId,
  alsoTo: z.array(DirectoryId),
  informed: z.array(DirectoryId),
});
export type ClueTransfer = z.infer<typeof ClueTransfer>;

/**
 * Marks a decision that routes an existing clue again (重新分办) instead of opening one: `of` is the decision it
 * replaces, `cause` why. Additive: consumers that ignore it see a second decision for the same clue id.
 */
export const Reroute = z.object({
  of: Ulid,
  /** `classification`: the district commission chose the category of an unclassified clue (分办, rule 7). */
  cause: z.enum(["classification"]),
});
export type Reroute = z.infer<typeof Reroute>;

/**
 * What the router decided for one complaint: a new clue (问题线索) with its assignments, or a supplement
 * merged into an existing clue. Units, departments and external bodies appear by directory id only; the
 * reporter appears in no form, not even as a hash, because decisions fan out to unit streams (DESIGN §8).
 * Unknown fields are stripped rather than refused so that additive changes need no new topic version.
 *
 * @example
 * const decision = RoutingDecision.parse(JSON.parse(line));
 * if (decision.mergedInto === null && decision.discipline) notify(decision.discipline.lead);
 */
export const RoutingDecision = z
  .object({
    /** Stable per decision, so a re-published event after redelivery carries the same `ce_id`. */
    decisionId: Ulid,
    complaintId: Complaint.shape.id,
    /** The clue this complaint opened, or, when merged, the clue it was merged into. */
    clueId: Ulid,
    nature: ClueNature,
    /** Matched category codes, in directory order. */
    categories: z.array(DirectoryId),
    subjects: z.object({ departments: z.array(DirectoryId), towns: z.array(DirectoryId) }),
    discipline: DisciplineAssignment.nullable(),
    service: ServiceAssignment.nullable(),
    transfer: ClueTransfer.nullable(),
    mergedInto: Ulid.nullable(),
    reasons: z.array(DecisionReason).min(1),
    decidedAt: Timestamp,
    /** Present when the decision routes an existing clue again; the closure then replaces its triage work. */
    reroute: Reroute.optional(),
  })
  .superRefine((decision, ctx) => {
    const tracks = [decision.discipline, decision.service, decision.transfer].filter((t) => t !== null);
    if (decision.reroute && decision.mergedInto !== null) {
      ctx.addIssue({ code: "custom", path: ["reroute"], message: "a re-routing routes its own clue, never a merge" });
    }
    if (decision.mergedInto !== null) {
      // A supplement adds no assignments (rule 8) and belongs to the clue it was merged into.
      if (decision.mergedInto !== decision.clueId) {
        ctx.addIssue({ code: "custom", path: ["clueId"], message: "a merged decision's clueId is mergedInto" });
      }
      if (tracks.length > 0)
        ctx.addIssue({ code: "custom", path: ["mergedInto"], message: "a merged decision has no assignments" });
    } else if (tracks.length === 0) {
      ctx.addIssue({ code: "custom", path: ["discipline"], message: "a new clue needs a discipline, service or transfer track" });
    }
  });
export type RoutingDecision = z.infer<typeof RoutingDecision>;
