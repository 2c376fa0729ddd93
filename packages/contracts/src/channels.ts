import { z } from "zod";
import { SealedIdentity, WireReporter } from "./identity.js";
import { HttpUrl, StorableText } from "./storable-text.js";
import { defineTopic } from "./topic.js";
import { topicNames } from "./topic-names.js";

const Id = z.string().regex(/^[a-z0-9-]+$/, "expected a directory id [a-z0-9-]+");

/** Hints an operator or a monitor gives about who the complaint is about (DESIGN §6 `subjects`). */
export const SubjectHints = z.object({
  departments: z.array(Id).max(20).optional(),
  towns: z.array(Id).max(20).optional(),
  persons: z
    .array(z.object({ name: StorableText.trim().min(1).max(50).optional(), rank: StorableText.trim().min(1).max(40).optional() }))
    .max(20)
    .optional(),
});
export type SubjectHints = z.infer<typeof SubjectHints>;

/** A stored piece of evidence: the server-made id and the SHA-256 recorded at upload (chain of custody). */
export const EvidenceRef = z.object({ evidenceId: StorableText, sha256: z.string().regex(/^[0-9a-f]{64}$/) });
export type EvidenceRef = z.infer<typeof EvidenceRef>;

const base = {
  complaintId: z.string().min(1),
  receivedAt: z.iso.datetime({ offset: true }),
  reporter: WireReporter,
  /**
   * The free-text fields as written, sealed like the reporter and bound to this complaint, present only when the
   * edge scrubbed contacts or the reporter's identity out of one of them (DESIGN §8); the fields above are scrubbed.
   */
  sealedOriginal: SealedIdentity.optional(),
  subjects: SubjectHints.optional(),
  categoryHints: z.array(Id).max(20).optional(),
  evidence: z.array(EvidenceRef).max(50).default([]),
};

/** A call on the 12345 government hotline or the 12388 discipline reporting line. */
export const HotlineReceived = z.object({
  ...base,
  channel: z.literal("hotline"),
  line: z.enum(["12345", "12388"]),
  callId: StorableText.min(1),
  operatorId: StorableText.min(1),
  startedAt: z.iso.datetime({ offset: true }),
  endedAt: z.iso.datetime({ offset: true }),
  summary: StorableText.min(1),
});
export type HotlineReceived = z.infer<typeof HotlineReceived>;

/** A report through web, app, a service-hall opinion book (服务意见簿), a special supervisor (特约监察员) or a letter. */
export const IntakeReceived = z.object({
  ...base,
  channel: z.literal("intake"),
  form: z.enum(["web", "app", "service-hall", "special-supervisor", "letter"]),
  text: StorableText.min(1),
  serviceHall: z.object({ hall: StorableText, window: StorableText.optional(), date: z.iso.date() }).optional(),
  supervisorId: StorableText.optional(),
});
export type IntakeReceived = z.infer<typeof IntakeReceived>;

/** A media exposure: news, a TV inquiry programme (电视问政) or a public-opinion (舆情) alert. */
export const MediaReceived = z.object({
  ...base,
  channel: z.literal("media"),
  outlet: StorableText.min(1),
  program: StorableText.optional(),
  url: HttpUrl.optional(),
  publishedAt: z.iso.datetime({ offset: true }),
  reach: z.number().int().min(0).optional(),
  excerpt: StorableText.min(1),
});
export type MediaReceived = z.infer<typeof MediaReceived>;

export const hotlineReceivedTopic = defineTopic({
  name: topicNames.hotlineReceived,
  type: "clueline.hotline.received",
  schema: HotlineReceived,
  keyOf: (event) => event.complaintId,
});
export const intakeReceivedTopic = defineTopic({
  name: topicNames.intakeReceived,
  type: "clueline.intake.received",
  schema: IntakeReceived,
  keyOf: (event) => event.complaintId,
});
export const mediaReceivedTopic = defineTopic({
  name: topicNames.mediaReceived,
  type: "clueline.media.received",
  schema: MediaReceived,
  keyOf: (event) => event.complaintId,
});

/** The three channel topics the edges publish to and the router consumes. */
export const channelTopics = [hotlineReceivedTopic, intakeReceivedTopic, mediaReceivedTopic];
