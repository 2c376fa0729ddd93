import { EvidenceRef, type HotlineReceived, StorableText, SubjectHints } from "@clueline/contracts";
import { CategoryHints, ReporterInput, type Submission, scrubbedSubjects } from "@clueline/edge";
import { z } from "@hono/zod-openapi";

const Timestamp = z.iso.datetime({ offset: true });

/**
 * One call as an operator records it, on the 12345 government hotline or the 12388 discipline reporting line.
 * `reporter` is the caller's identity as given; it is sealed before anything leaves the process.
 */
export const CallRecord = z
  .object({
    line: z.enum(["12345", "12388"]),
    callId: StorableText.trim().min(1).max(64),
    operatorId: StorableText.trim().min(1).max(64),
    startedAt: Timestamp,
    endedAt: Timestamp,
    reporter: ReporterInput,
    /** 10,000 characters is several pages of an operator's notes; longer material belongs in evidence. */
    summary: StorableText.trim().min(1).max(10_000),
    subjects: SubjectHints.optional(),
    categoryHints: CategoryHints.optional(),
    evidence: z.array(EvidenceRef).max(50).optional(),
  })
  .refine((call) => Date.parse(call.endedAt) >= Date.parse(call.startedAt), {
    message: "must not be before startedAt",
    path: ["endedAt"],
    // Checked whenever both times parsed (the body was an object and neither time has an issue), so one answer
    // lists this beside the other fields' problems. Read off the issues found so far, not by parsing again.
    when: (payload) =>
      payload.issues.every((issue) => {
        const field = issue.path?.[0];
        return field !== undefined && field !== "startedAt" && field !== "endedAt";
      }),
  })
  .openapi("CallRecord", {
    example: {
      line: "12388",
      callId: "C-20240506-0001",
      operatorId: "op-7",
      startedAt: "2024-05-06T09:30:00+08:00",
      endedAt: "2024-05-06T09:36:40+08:00",
      reporter: { kind: "anonymous" },
      summary: "来电反映城关镇某工作人员办理审批时索要好处费。",
      subjects: { towns: ["chengguan"] },
    },
  });
export type CallRecord = z.infer<typeof CallRecord>;

/**
 * The call as a submission: its reporter, and its `clueline.hotline.received.v1` payload with the summary and the
 * persons' names scrubbed; identity is already sealed in `base.reporter`.
 */
export function callSubmission(call: CallRecord): Submission<HotlineReceived> {
  return {
    reporter: call.reporter,
    categoryHints: call.categoryHints,
    build: (base, scrub) => ({
      // Field by field, not `...base`: see ReceivedBase.
      complaintId: base.complaintId,
      receivedAt: base.receivedAt,
      reporter: base.reporter,
      channel: "hotline",
      line: call.line,
      callId: call.callId,
      operatorId: call.operatorId,
      startedAt: call.startedAt,
      endedAt: call.endedAt,
      summary: scrub("summary", call.summary),
      subjects: scrubbedSubjects(call.subjects, scrub),
      categoryHints: call.categoryHints,
      evidence: call.evidence ?? [],
    }),
  };
}
