import { z } from "zod";
import { defineTopic } from "./topic.js";
import { topicNames } from "./topic-names.js";

/** One audited act, above all every decryption of reporter identity (DESIGN §8). Carries no identity itself. */
export const AuditEvent = z.object({
  auditId: z.string(),
  actor: z.string().min(1),
  action: z.enum(["pii.read", "receipt.lookup", "directory.reload"]),
  target: z.object({ kind: z.enum(["clue", "complaint", "directory"]), id: z.string() }),
  reason: z.string().optional(),
  at: z.iso.datetime({ offset: true }),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

export const auditTopic = defineTopic({
  name: topicNames.audit,
  type: "clueline.audit.recorded",
  schema: AuditEvent,
  keyOf: (event) => event.target.id,
});
