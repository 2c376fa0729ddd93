import { EvidenceRef, HttpUrl, type MediaReceived, StorableText, SubjectHints } from "@clueline/contracts";
import { CategoryHints, type Submission, scrubbedSubjects } from "@clueline/edge";
import { z } from "@hono/zod-openapi";

/**
 * A media exposure: a news report, a TV inquiry programme (电视问政) or a public-opinion (舆情) alert. It has no
 * reporter; `reach` (views or readers) can escalate it (DESIGN §6 rule 5).
 */
export const Exposure = z
  .object({
    outlet: StorableText.trim().min(1).max(200),
    program: StorableText.trim().min(1).max(200).optional(),
    /** http or https only: inspectors open it, and a `javascript:` or `data:` link would run in their browser. */
    url: HttpUrl.optional(),
    publishedAt: z.iso.datetime({ offset: true }),
    reach: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    excerpt: StorableText.trim().min(1).max(20_000),
    subjects: SubjectHints.optional(),
    categoryHints: CategoryHints.optional(),
    evidence: z.array(EvidenceRef).max(50).optional(),
  })
  .openapi("Exposure", {
    example: {
      outlet: "区融媒体中心",
      program: "电视问政",
      url: "https://news.example.cn/2024/05/06/approval.html",
      publishedAt: "2024-05-06T20:00:00+08:00",
      reach: 125_000,
      excerpt: "节目曝光某镇审批窗口迟迟不批，群众多次往返。",
      subjects: { towns: ["chengguan"] },
    },
  });
export type Exposure = z.infer<typeof Exposure>;

/**
 * The exposure as a submission: its `clueline.media.received.v1` payload, with an anonymous, code-less reporter and
 * the excerpt and persons' names scrubbed of contacts (people interviewed leave numbers too). Outlet and programme
 * are public names of the media, kept as published.
 */
export function exposureSubmission(exposure: Exposure): Submission<MediaReceived> {
  return {
    categoryHints: exposure.categoryHints,
    build: (base, scrub) => ({
      // Field by field, not `...base`: see ReceivedBase.
      complaintId: base.complaintId,
      receivedAt: base.receivedAt,
      reporter: base.reporter,
      channel: "media",
      outlet: exposure.outlet,
      program: exposure.program,
      url: exposure.url,
      publishedAt: exposure.publishedAt,
      reach: exposure.reach,
      excerpt: scrub("excerpt", exposure.excerpt),
      subjects: scrubbedSubjects(exposure.subjects, scrub),
      categoryHints: exposure.categoryHints,
      evidence: exposure.evidence ?? [],
    }),
  };
}
