import { EvidenceRef, type IntakeReceived, StorableText, SubjectHints } from "@clueline/contracts";
import { CategoryHints, ReporterInput, type Submission, scrubbedSubjects } from "@clueline/edge";
import { z } from "@hono/zod-openapi";

const Forms = z.object({
  form: z.enum(["web", "app", "service-hall", "special-supervisor", "letter"]),
});

/** An entry in a service hall's opinion book (服务意见簿): which hall, which window, which day. */
const ServiceHall = z.object({
  hall: StorableText.trim().min(1).max(100),
  window: StorableText.trim().min(1).max(50).optional(),
  date: z.iso.date(),
});

/**
 * A report as web, app, a service hall's opinion book, a special supervisor (特约监察员) or a scanned letter
 * brings it. Attachments are uploaded first (`POST /v1/attachments`) and cited in `evidence`.
 */
export const Report = z
  .object({
    ...Forms.shape,
    text: StorableText.trim().min(1).max(20_000),
    reporter: ReporterInput,
    serviceHall: ServiceHall.optional(),
    supervisorId: StorableText.trim().min(1).max(64).optional(),
    subjects: SubjectHints.optional(),
    categoryHints: CategoryHints.optional(),
    evidence: z.array(EvidenceRef).max(50).optional(),
  })
  .refine((report) => report.form !== "service-hall" || report.serviceHall !== undefined, {
    message: "required when form is service-hall",
    path: ["serviceHall"],
    when: (payload) => Forms.safeParse(payload.value).success,
  })
  .refine((report) => report.form !== "special-supervisor" || report.supervisorId !== undefined, {
    message: "required when form is special-supervisor",
    path: ["supervisorId"],
    when: (payload) => Forms.safeParse(payload.value).success,
  })
  .openapi("Report", {
    example: {
      form: "service-hall",
      text: "窗口工作人员以材料不全为由多次拒绝受理，审批慢。",
      reporter: { kind: "anonymous" },
      serviceHall: { hall: "区政务服务中心", window: "12", date: "2024-05-06" },
    },
  });
export type Report = z.infer<typeof Report>;

/**
 * The report as a submission: its reporter, and its `clueline.intake.received.v1` payload with the text, the service
 * hall's names and the persons' names scrubbed; identity is already sealed in `base.reporter`.
 */
export function reportSubmission(report: Report): Submission<IntakeReceived> {
  return {
    reporter: report.reporter,
    categoryHints: report.categoryHints,
    build: (base, scrub) => ({
      // Field by field, not `...base`: see ReceivedBase.
      complaintId: base.complaintId,
      receivedAt: base.receivedAt,
      reporter: base.reporter,
      channel: "intake",
      form: report.form,
      text: scrub("text", report.text),
      serviceHall: report.serviceHall && {
        hall: scrub("serviceHall.hall", report.serviceHall.hall),
        window: report.serviceHall.window === undefined ? undefined : scrub("serviceHall.window", report.serviceHall.window),
        date: report.serviceHall.date,
      },
      supervisorId: report.supervisorId,
      subjects: scrubbedSubjects(report.subjects, scrub),
      categoryHints: report.categoryHints,
      evidence: report.evidence ?? [],
    }),
  };
}
