import { z } from "zod";
import { CallBackResult, ConclusionResult, Disposition } from "./lifecycle.js";
import { defineTopic } from "./topic.js";
import { topicNames } from "./topic-names.js";

/**
 * What flows back into the closure ledger on `clueline.clue.feedback.v1`: hotline call-back (回访) results and
 * actions that units take in their own systems. Each is applied exactly as the same action through the
 * inspector API would be; an action the lifecycle refuses is dead-lettered with the reason.
 */

const DirectoryId = z.string().regex(/^[a-z0-9-]+$/, { error: "must match [a-z0-9-]+" });
const Timestamp = z.iso.datetime({ offset: true });
/** Free text an inspector or operator writes; kept in the ledger, never put on the lifecycle topic. */
const Note = z.string().min(1).max(4_000);

/** An action on one assignment (DESIGN §7). */
export const AssignmentAction = z.discriminatedUnion("action", [
  z.object({ action: z.literal("accept") }),
  /** 不予受理. A discipline lead's rejection is reviewed by the commission like a return; any other one is final. */
  z.object({ action: z.literal("reject"), reason: Note }),
  /** 退回: the assignment was misrouted; the commission upholds it (the unit handles it) or reassigns it (改派). */
  z.object({ action: z.literal("return"), reason: Note }),
  /** `unit`: to another unit of the district, which gets a new assignment; `external`: out of the district (转送). */
  z.object({
    action: z.literal("transfer"),
    to: z.string().min(1).max(100),
    scope: z.enum(["unit", "external"]),
    note: Note.optional(),
  }),
  /**
   * `complex` lengthens a service complaint's clock (7 → 15 calendar days by default). A discipline clue held
   * (`hold`, 暂存待查) names the Beijing date it is reviewed on, `reviewOn` (after today, within 366 days); no
   * other way takes one.
   */
  z.object({
    action: z.literal("dispose"),
    disposition: Disposition,
    complex: z.boolean().default(false),
    reviewOn: z.iso.date().optional(),
    note: Note.optional(),
  }),
  z.object({ action: z.literal("progress"), note: Note }),
  z.object({ action: z.literal("conclude"), result: ConclusionResult, summary: Note }),
  /** The acceptance notice owed to a real-name reporter was given. */
  z.object({ action: z.literal("notify"), notice: z.literal("acceptance") }),
]);
export type AssignmentAction = z.infer<typeof AssignmentAction>;

export const ClueFeedback = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("call-back"),
    clueId: z.string().min(1),
    operatorId: z.string().min(1),
    result: CallBackResult,
    note: Note.optional(),
    calledAt: Timestamp,
  }),
  z.object({
    kind: z.literal("unit-action"),
    clueId: z.string().min(1),
    assignmentId: z.string().min(1),
    unitId: DirectoryId,
    actorId: z.string().min(1),
    at: Timestamp,
    act: AssignmentAction,
  }),
  /** The result given to the reporter (反馈): published for receipt look-up when the reporter is anonymous. */
  z.object({
    kind: z.literal("reply"),
    clueId: z.string().min(1),
    unitId: DirectoryId,
    actorId: z.string().min(1),
    at: Timestamp,
    reply: Note,
  }),
]);
export type ClueFeedback = z.infer<typeof ClueFeedback>;

/**
 * @example
 * await publisher.publish({ topic: feedbackTopic.name, ...feedbackTopic.serialize(
 *   { kind: "call-back", clueId, operatorId: "op-7", result: "satisfied", calledAt: new Date().toISOString() },
 *   { source: "/clueline/hotline" }) });
 */
export const feedbackTopic = defineTopic({
  name: topicNames.clueFeedback,
  type: "clueline.clue.feedback",
  schema: ClueFeedback,
  keyOf: (feedback) => feedback.clueId,
});
