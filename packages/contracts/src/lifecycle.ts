import { z } from "zod";
import { ConductWindow, ServiceFailure, ServiceFailureKind } from "./conduct-pattern.js";
import { defineTopic } from "./topic.js";
import { topicNames } from "./topic-names.js";

/**
 * What closure tells downstream systems (statistics, red/black ranking, credit systems, media follow-up) on
 * `clueline.clue.lifecycle.v1`: one event per change in the ledger, keyed by clue id so a clue's events stay
 * in order. Events carry enough to rebuild the three rates and the ranking without asking closure anything,
 * and no reporter identity in any form (DESIGN §8): free text written by inspectors stays in the ledger.
 */

const DirectoryId = z.string().regex(/^[a-z0-9-]+$/, { error: "must match [a-z0-9-]+" });
const Timestamp = z.iso.datetime({ offset: true });
/** A civil date in China (Asia/Shanghai); deadlines fall due at the end of that day. */
const Day = z.iso.date();

/**
 * DESIGN §7: assigned → accepted → in-progress → concluded, or assigned → transferred / rejected (不予受理), or
 * assigned → returned (退回, or a discipline lead's 不予受理, awaiting the commission's review) → assigned again
 * (upheld) or reassigned (改派: another unit got a fresh assignment; this one ended).
 */
export const AssignmentState = z.enum([
  "assigned",
  "accepted",
  "in-progress",
  "concluded",
  "transferred",
  "rejected",
  "returned",
  "reassigned",
]);
export type AssignmentState = z.infer<typeof AssignmentState>;

/** A clue is open until its lead assignments finish; `transferred` when the whole clue left the district (转送). */
export const ClueState = z.enum(["open", "concluded", "fed-back", "closed", "transferred"]);
export type ClueState = z.infer<typeof ClueState>;

/** 主办 / 协办; informed units (知会) see a clue but have no assignment. */
export const AssignmentRole = z.enum(["lead", "assist"]);

/**
 * Why a unit holds an assignment: routing, a transfer (转办), an escalation to the commission, a classification (分办:
 * routed again once the commission chose the category), a reassignment (改派 of a returned assignment).
 */
export const AssignmentCause = z.enum(["routing", "transfer", "escalation", "classification", "reassignment"]);
export type AssignmentCause = z.infer<typeof AssignmentCause>;
export type AssignmentRole = z.infer<typeof AssignmentRole>;

/** Discipline track (纪检监督) or service track (行业部门横向监督, the 12345 service standard's clocks). */
export const AssignmentTrack = z.enum(["discipline", "service"]);
export type AssignmentTrack = z.infer<typeof AssignmentTrack>;

/**
 * 处置方式: 谈话函询 `talk-or-letter`, 初步核实 `preliminary-check`, 暂存待查 `hold`, 予以了结 `close` (DESIGN §7);
 * service complaints are handled (办理, `handling`). `preliminary-verification` is the older spelling of
 * `preliminary-check`: still accepted, and still read in events written before, and treated as it by every clock.
 */
export const Disposition = z.enum([
  "talk-or-letter",
  "preliminary-check",
  "preliminary-verification",
  "hold",
  "close",
  "handling",
]);
export type Disposition = z.infer<typeof Disposition>;

/** How an assignment ended (办结): findings for the discipline track, results for the service track. */
export const ConclusionResult = z.enum([
  "substantiated",
  "partly-substantiated",
  "unsubstantiated",
  "resolved",
  "explained",
  "unresolvable",
]);
export type ConclusionResult = z.infer<typeof ConclusionResult>;

/**
 * How an assignment's work ended, as the ledger records it: a unit's {@link ConclusionResult}, or `classified` for
 * the commission's triage (分办) of an unclassified clue, which ends when the commission chooses its category and
 * the clue is routed again. Units cannot conclude with `classified`.
 */
export const AssignmentResult = z.enum([...ConclusionResult.options, "classified"]);
export type AssignmentResult = z.infer<typeof AssignmentResult>;

/** What a hotline call-back (回访) found; `unreachable` leaves the task open and counts in no rate. */
export const CallBackResult = z.enum(["satisfied", "dissatisfied", "unreachable"]);
export type CallBackResult = z.infer<typeof CallBackResult>;

/** The clocks of DESIGN §7. */
/**
 * `dispose`: a discipline lead's disposal, due after acceptance; `review`: a held (暂存待查) discipline clue's review
 * date (DESIGN §7). A discipline conclusion after a disposal is a `conclude` clock like the service track's.
 */
export const DeadlineKind = z.enum(["accept", "conclude", "acceptance-notice", "result-notice", "dispose", "review"]);
export type DeadlineKind = z.infer<typeof DeadlineKind>;

export const LifecycleActor = z.object({ kind: z.enum(["unit", "operator", "system"]), id: z.string().min(1) });
export type LifecycleActor = z.infer<typeof LifecycleActor>;

export const AssignmentRef = z.object({
  assignmentId: z.string().min(1),
  unitId: DirectoryId,
  role: AssignmentRole,
  track: AssignmentTrack,
});
export type AssignmentRef = z.infer<typeof AssignmentRef>;

const base = { clueId: z.string().min(1), occurredAt: Timestamp, actor: LifecycleActor };
const change = { ...base, assignment: AssignmentRef, from: AssignmentState, to: AssignmentState };
const deadline = z.object({
  kind: DeadlineKind,
  dueOn: Day,
  assignmentId: z.string().nullable(),
  /** The unit that owes the deadline; for a clue-level clock, the clue's first lead unit. */
  unitId: DirectoryId.nullable(),
});

/**
 * The district commission chose the category of an unclassified clue (分办, rule 7); the router routes it again
 * from this and the opening it stored. No complaint text (downstream systems reading this topic are not units
 * assigned to the clue), no reporter identity or hash.
 */
export const ClueClassified = z.object({
  ...base,
  event: z.literal("clue.classified"),
  complaintId: z.string().min(1),
  category: DirectoryId,
  channel: z.enum(["hotline", "intake", "media"]),
  receivedAt: Timestamp,
  /** The departments and towns the clue is about, as its first routing found them. */
  subjects: z.object({ departments: z.array(DirectoryId), towns: z.array(DirectoryId) }),
  reporterKind: z.enum(["anonymous", "real-name"]),
  /** A media exposure's audience (rule 5); null for other channels or when unknown. */
  mediaReach: z.int().min(0).nullable(),
});
export type ClueClassified = z.infer<typeof ClueClassified>;

/**
 * Rule 10: a department's service failures crossed a threshold of `policy.conductFromService` in a rolling window.
 * `clueId` is the discipline clue about the department: new (`mode: open`; the router opens it with this id) or the
 * conduct clue still open about it (`supplement`). The evidence names the service clues and what happened on each;
 * no complainant of theirs appears in any form.
 */
export const ConductPatternDetected = z.object({
  ...base,
  event: z.literal("conduct.pattern-detected"),
  mode: z.enum(["open", "supplement"]),
  department: DirectoryId,
  kinds: z.array(ServiceFailureKind).min(1),
  window: ConductWindow,
  thresholds: z.object({
    overdue: z.int().min(1),
    dissatisfied: z.int().min(1),
    returnsUpheld: z.int().min(1),
  }),
  evidence: z.array(ServiceFailure).min(1),
});
export type ConductPatternDetected = z.infer<typeof ConductPatternDetected>;

/** Why a finished clue was opened again (DESIGN §6 rule 8, §7). */
export const ClueReopenReason = z.enum(["dissatisfied", "supplement"]);
export type ClueReopenReason = z.infer<typeof ClueReopenReason>;

const variants = [
  z.object({
    ...base,
    event: z.literal("clue.opened"),
    complaintId: z.string().min(1),
    nature: z.enum(["discipline", "service", "both", "unclassified"]),
    categories: z.array(DirectoryId),
    channel: z.enum(["hotline", "intake", "media"]),
    reporterKind: z.enum(["anonymous", "real-name"]),
    receivedAt: Timestamp,
    subjects: z.object({ departments: z.array(DirectoryId), towns: z.array(DirectoryId) }),
    transfer: z.object({ to: DirectoryId, alsoTo: z.array(DirectoryId) }).nullable(),
    informed: z.array(DirectoryId),
    /** Null until a reporter is owed an acceptance notice (real-name only). */
    acceptanceNoticeDueOn: Day.nullable(),
  }),
  z.object({
    ...base,
    event: z.literal("clue.supplemented"),
    complaintId: z.string().min(1),
    channel: z.enum(["hotline", "intake", "media"]),
  }),
  ClueClassified,
  z.object({ ...base, event: z.literal("clue.transferred-out"), to: DirectoryId, alsoTo: z.array(DirectoryId) }),
  z.object({
    ...base,
    event: z.literal("assignment.assigned"),
    assignment: AssignmentRef,
    /**
     * `classification`: the clue was routed again after the commission chose its category; `reassignment`: the
     * commission gave a returned assignment's work to this unit (改派).
     */
    cause: AssignmentCause,
    /** Null while the working-day calendar lacks the year the due date falls in; `deadline.scheduled` follows. */
    acceptDueOn: Day.nullable(),
    concludeDueOn: Day.nullable(),
  }),
  z.object({ ...change, event: z.literal("assignment.accepted") }),
  z.object({ ...change, event: z.literal("assignment.rejected") }),
  /** `target`: the unit (scope `unit`) or outside body (`external`) the assignment went to. */
  z.object({
    ...change,
    event: z.literal("assignment.transferred"),
    target: z.string().min(1),
    scope: z.enum(["unit", "external"]),
  }),
  z.object({
    ...change,
    event: z.literal("assignment.disposed"),
    disposition: Disposition,
    complex: z.boolean(),
    concludeDueOn: Day.nullable(),
  }),
  z.object({ ...change, event: z.literal("assignment.progressed") }),
  z.object({ ...change, event: z.literal("assignment.concluded"), result: AssignmentResult }),
  /**
   * A finished lead assignment is at work again (a dissatisfied call-back, or a supplement to a finished clue).
   * `disposeDueOn`: a discipline lead's fresh disposal clock for the new material; absent from older events.
   */
  z.object({
    ...change,
    event: z.literal("assignment.reopened"),
    concludeDueOn: Day.nullable(),
    disposeDueOn: Day.nullable().optional(),
  }),
  /**
   * 退回: the unit sent the assignment back as misrouted (`kind: return`), or a discipline lead would not take the
   * clue up (`reject`, 不予受理); either waits for the commission's review (`reviewer`). The reason stays in the
   * ledger. The assignment's clocks keep running meanwhile.
   */
  z.object({
    ...change,
    event: z.literal("assignment.returned"),
    returnId: z.string().min(1),
    kind: z.enum(["return", "reject"]),
    reviewer: DirectoryId,
  }),
  /**
   * The commission decided a return: `upheld` (the unit must handle it; the assignment is `assigned` again with
   * its clocks) or `reassigned` (改派) to `reassignedTo`, whose fresh assignment follows as `assignment.assigned`
   * (cause `reassignment`); this assignment ended.
   */
  z.object({
    ...change,
    event: z.literal("assignment.return-decided"),
    returnId: z.string().min(1),
    kind: z.enum(["return", "reject"]),
    decision: z.enum(["upheld", "reassigned"]),
    reassignedTo: DirectoryId.nullable(),
  }),
  z.object({ ...base, event: z.literal("clue.reporter-notified"), notice: z.literal("acceptance"), unitId: DirectoryId }),
  z.object({
    ...base,
    event: z.literal("clue.concluded"),
    leadUnits: z.array(DirectoryId),
    resultDueOn: Day.nullable(),
  }),
  z.object({ ...base, event: z.literal("clue.fed-back"), unitId: DirectoryId, replyPublished: z.boolean() }),
  z.object({
    ...base,
    event: z.literal("clue.call-back-recorded"),
    result: CallBackResult,
    round: z.int().min(1),
    /** The units whose work the reporter judged: the clue's lead units at the time (for the satisfaction rate). */
    leadUnits: z.array(DirectoryId),
  }),
  /**
   * A finished clue is open again: `reopenCount` counts every reopening, this one included. `reason` (absent from
   * events written before supplements reopened clues: a dissatisfied call-back): `dissatisfied` after a call-back,
   * `supplement` when the same real-name reporter's new complaint was merged into it (rule 8; `complaintId` names
   * that complaint, never its text or reporter). `leadUnits`: the units whose lead work reopened.
   */
  z.object({
    ...base,
    event: z.literal("clue.reopened"),
    reopenCount: z.int().min(1),
    reason: ClueReopenReason.optional(),
    complaintId: z.string().min(1).optional(),
    leadUnits: z.array(DirectoryId).optional(),
  }),
  z.object({ ...base, event: z.literal("clue.escalated"), to: DirectoryId }),
  /**
   * Units shown a clue as informed (知会) after it opened: the routing of a classified clue (分办) informs them. The
   * units informed at the opening are in `clue.opened`.
   */
  z.object({
    ...base,
    event: z.literal("clue.informed"),
    units: z.array(DirectoryId).min(1),
    cause: z.enum(["classification"]),
  }),
  /**
   * 发回重办: the commission sent a concluded (fed-back, closed) clue back, after its review of the conclusion or a
   * dissatisfied call-back (`basis`); the lead units' concluded assignments reopen (`assignment.reopened`, fresh
   * clocks) and the clue is open again. The reason stays in the ledger.
   */
  z.object({
    ...base,
    event: z.literal("clue.redo-ordered"),
    from: ClueState,
    basis: z.enum(["review", "call-back"]),
    leadUnits: z.array(DirectoryId).min(1),
    redoCount: z.int().min(1),
  }),
  z.object({
    ...base,
    event: z.literal("clue.closed"),
    reason: z.enum(["satisfied", "anonymous", "final-dissatisfied"]),
  }),
  /** A clock that waited for a missing calendar year got its due date once an operator added the year. */
  z.object({ ...base, event: z.literal("deadline.scheduled"), deadline }),
  z.object({ ...base, event: z.literal("deadline.reminder"), deadline }),
  z.object({ ...base, event: z.literal("deadline.overdue"), deadline }),
  /**
   * 督办: the district commission is ordered to supervise the overdue matter. `orderId` and `answerDueOn` (the day
   * the late unit's answer is due; null while the calendar lacks its year) are absent from events written before
   * orders were answered.
   */
  z.object({
    ...base,
    event: z.literal("deadline.supervision-ordered"),
    deadline,
    to: DirectoryId,
    orderId: z.string().min(1).optional(),
    answerDueOn: Day.nullable().optional(),
  }),
  /** The late unit answered a supervision order: an explanation (kept in the ledger) and the day it promises. */
  z.object({
    ...base,
    event: z.literal("supervision.answered"),
    orderId: z.string().min(1),
    unitId: DirectoryId,
    promisedOn: Day,
  }),
  /**
   * 提级督办: the order went unanswered past `answerDueOn` and escalates to the leader overseeing the late unit
   * (包抓领导, DESIGN §5 `leaders`); `leaderId` null when the directory names none for it.
   */
  z.object({
    ...base,
    event: z.literal("supervision.escalated"),
    orderId: z.string().min(1),
    unitId: DirectoryId.nullable(),
    leaderId: DirectoryId.nullable(),
    answerDueOn: Day,
  }),
  /** 延期申请: a unit asks for `workingDays` more on one of its assignment's clocks; the reason stays in the ledger. */
  z.object({
    ...base,
    event: z.literal("extension.requested"),
    requestId: z.string().min(1),
    deadline,
    workingDays: z.int().min(1),
  }),
  /** The commission granted an extension: `deadline` is the clock's new due date, `previousDueOn` the old one. */
  z.object({
    ...base,
    event: z.literal("extension.granted"),
    requestId: z.string().min(1),
    deadline,
    previousDueOn: Day,
    workingDays: z.int().min(1),
  }),
  /** The commission refused an extension: the clock keeps its due date (`deadline`). */
  z.object({ ...base, event: z.literal("extension.refused"), requestId: z.string().min(1), deadline }),
  ConductPatternDetected,
] as const;

/**
 * One lifecycle event; `event` says which.
 *
 * @example
 * const { data } = lifecycleTopic.parse(record);
 * if (data.event === "assignment.accepted") markResponded(data.assignment.assignmentId, data.occurredAt);
 */
export const LifecycleEvent = z.discriminatedUnion("event", variants);
export type LifecycleEvent = z.infer<typeof LifecycleEvent>;
export type LifecycleEventName = LifecycleEvent["event"];

export const lifecycleTopic = defineTopic({
  name: topicNames.clueLifecycle,
  type: "clueline.clue.lifecycle",
  schema: LifecycleEvent,
  keyOf: (event) => event.clueId,
});
