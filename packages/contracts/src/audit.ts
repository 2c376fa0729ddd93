import { z } from "zod";
import { defineTopic } from "./topic.js";
import { topicNames } from "./topic-names.js";

/** One audited act, above all every decryption of reporter identity (DESIGN §8). Carries no identity itself. */
export const AuditEvent = z.object({
  auditId: z.string(),
  actor: z.string().min(1),
  /** `evidence.read`: a download of one piece of a clue's evidence (its id in `evidenceId`). */
  action: z.enum(["pii.read", "receipt.lookup", "directory.reload", "evidence.read"]),
  target: z.object({ kind: z.enum(["clue", "complaint", "directory"]), id: z.string() }),
  /** The piece of evidence an `evidence.read` opened; the target is its clue, so a clue's audit stays in order. */
  evidenceId: z.string().optional(),
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
