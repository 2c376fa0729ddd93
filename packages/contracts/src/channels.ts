import { z } from "zod";
import { WireReporter } from "./identity.js";
import { defineTopic } from "./topic.js";
import { topicNames } from "./topic-names.js";

const Id = z.string().regex(/^[a-z0-9-]+$/, "expected a directory id [a-z0-9-]+");

/** Hints an operator or a monitor gives about who the complaint is about (DESIGN §6 `subjects`). */
export const SubjectHints = z.object({
  departments: z.array(Id).max(20).optional(),
  towns: z.array(Id).max(20).optional(),
  persons: z
    .array(z.object({ name: z.string().max(50).optional(), rank: z.string().max(40).optional() }))
    .max(20)
    .optional(),
});
export type SubjectHints = z.infer<typeof SubjectHints>;

/** A stored piece of evidence: the server-made id and the SHA-256 recorded at upload (chain of custody). */
export const EvidenceRef = z.object({ evidenceId: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });
export type EvidenceRef = z.infer<typeof EvidenceRef>;

const base = {
  complaintId: z.string().min(1),
  receivedAt: z.iso.datetime({ offset: true }),
  reporter: WireReporter,
  subjects: SubjectHints.optional(),
  categoryHints: z.array(Id).max(20).optional(),
  evidence: z.array(EvidenceRef).max(50).default([]),
};

/** A call on the 12345 government hotline or the 12388 discipline reporting line. */
export const HotlineReceived = z.object({
  ...base,
  channel: z.literal("hotline"),
  line: z.enum(["12345", "12388"]),
  callId: z.string().min(1),
  operatorId: z.string().min(1),
  startedAt: z.iso.datetime({ offset: true }),
  endedAt: z.iso.datetime({ offset: true }),
  summary: z.string().min(1),
});
export type HotlineReceived = z.infer<typeof HotlineReceived>;

/** A report through web, app, a service-hall opinion book (服务意见簿), a special supervisor (特约监察员) or a letter. */
export const IntakeReceived = z.object({
  ...base,
  channel: z.literal("intake"),
  form: z.enum(["web", "app", "service-hall", "special-supervisor", "letter"]),
  text: z.string().min(1),
  serviceHall: z.object({ hall: z.string(), window: z.string().optional(), date: z.iso.date() }).optional(),
  supervisorId: z.string().optional(),
});
export type IntakeReceived = z.infer<typeof IntakeReceived>;

/** A media exposure: news, a TV inquiry programme (电视问政) or a public-opinion (舆情) alert. */
export const MediaReceived = z.object({
  ...base,
  channel: z.literal("media"),
  outlet: z.string().min(1),
  program: z.string().optional(),
  url: z.url().optional(),
  publishedAt: z.iso.datetime({ offset: true }),
  reach: z.number().int().min(0).optional(),
  excerpt: z.string().min(1),
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
