import {
  AssignmentCause,
  AssignmentResult,
  AssignmentRole,
  AssignmentState,
  AssignmentTrack,
  ClueState,
  DeadlineKind,
  Disposition,
} from "@clueline/contracts";
import { z } from "@hono/zod-openapi";

/** What the inspector API shows. No view carries reporter identity; only `/reporter` does, audited. */

export const ClueSummary = z
  .object({
    clueId: z.string(),
    complaintId: z.string(),
    nature: z.enum(["discipline", "service", "both", "unclassified"]),
    categories: z.array(z.string()),
    subjects: z.object({ departments: z.array(z.string()), towns: z.array(z.string()) }),
    channel: z.enum(["hotline", "intake", "media"]),
    receivedAt: z.string(),
    openedAt: z.string(),
    state: ClueState,
    reporterKind: z.enum(["anonymous", "real-name"]),
    reopenCount: z.int(),
    escalated: z.boolean(),
    transferTo: z.string().nullable(),
    /** The roles of the unit the list is for (lead, assist, informed, supervisor); empty in the commission's list of all clues. */
    roles: z.array(z.string()),
  })
  .openapi("ClueSummary");
export type ClueSummary = z.infer<typeof ClueSummary>;

export const AssignmentView = z
  .object({
    assignmentId: z.string(),
    unitId: z.string(),
    role: AssignmentRole,
    track: AssignmentTrack,
    state: AssignmentState,
    /** Why the unit got the work; `reassignment`: the commission gave a returned assignment's work to it (改派). */
    cause: AssignmentCause,
    disposition: Disposition.nullable(),
    complex: z.boolean(),
    result: AssignmentResult.nullable(),
    assignedAt: z.string(),
    respondedAt: z.string().nullable(),
    concludedAt: z.string().nullable(),
    /** Null while the accept clock is calendar-pending (see the deadline's `calendarPending`). */
    acceptDueOn: z.string().nullable(),
    concludeDueOn: z.string().nullable(),
  })
  .openapi("Assignment");
export type AssignmentView = z.infer<typeof AssignmentView>;

export const DeadlineView = z
  .object({
    kind: DeadlineKind,
    assignmentId: z.string().nullable(),
    unitId: z.string().nullable(),
    /** Null while the clock is calendar-pending. */
    dueOn: z.string().nullable(),
    stage: z.enum(["pending", "reminded", "overdue", "met"]),
    /**
     * Set while the due date (or, for a clock in calendar days, only its reminder day) waits for a year the
     * working-day calendar lacks; it is computed as soon as an operator adds the year.
     */
    calendarPending: z.object({ year: z.int(), reason: z.string() }).nullable(),
  })
  .openapi("Deadline");
export type DeadlineView = z.infer<typeof DeadlineView>;

export const HistoryEntry = z
  .object({
    /** The event's place in the ledger's log; an assignment recorded with its clue's opening follows it ("41.1"). */
    seq: z.string(),
    event: z.string(),
    occurredAt: z.string(),
    /** The authenticated subject behind the change (an inspector, an operator, or router / scan). */
    actor: z.string().nullable(),
    /** The lifecycle event as published on `clueline.clue.lifecycle.v1`. */
    payload: z.record(z.string(), z.unknown()),
    /** Free text the actor wrote (reason, progress, summary, reply); never published. */
    note: z.string().nullable(),
  })
  .openapi("HistoryEntry");
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const ClueDetail = ClueSummary.extend({
  /** What the reporter said, with contact numbers taken out by the router. */
  text: z.string(),
  /** Evidence stored at intake: server-made ids and SHA-256 (chain of custody). */
  evidence: z.array(z.object({ evidenceId: z.string(), sha256: z.string() })),
  /** Where it came from: hotline line and call, intake form, media outlet and programme. */
  origin: z.record(z.string(), z.unknown()),
  reasons: z.array(z.record(z.string(), z.unknown())),
  reply: z.string().nullable(),
  assignments: z.array(AssignmentView),
  deadlines: z.array(DeadlineView),
  history: z.array(HistoryEntry),
}).openapi("ClueDetail");
export type ClueDetail = z.infer<typeof ClueDetail>;

export const CluePage = z
  .object({
    items: z.array(ClueSummary),
    /** Pass as `cursor` for the next page; null on the last page. */
    nextCursor: z.string().nullable(),
  })
  .openapi("CluePage");
