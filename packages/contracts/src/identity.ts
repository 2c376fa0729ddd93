import { z } from "zod";

/**
 * Reporter identity sealed at the edge with AES-256-GCM. `keyId` names the key in the key ring, so keys can
 * rotate: new records use the newest key, old ones stay readable while their key is kept. `v: 2` marks a seal
 * bound to its complaint (the complaint id is in the GCM additional data, so the blob does not open under another
 * record, DESIGN §8); a blob without it was sealed before that and is bound to its key id only.
 */
export const SealedIdentity = z.object({
  alg: z.literal("A256GCM"),
  keyId: z.string().min(1),
  iv: z.base64(),
  tag: z.base64(),
  ciphertext: z.base64(),
  v: z.literal(2).optional(),
});
export type SealedIdentity = z.infer<typeof SealedIdentity>;

/**
 * The free-text fields as the caller wrote them, before the edge scrubbed contacts out (DESIGN §8: units read the
 * scrubbed text, the original exists only sealed). Keyed by the field's path in the request (`summary`,
 * `subjects.persons.0.name`); only the fields that scrubbing changed.
 */
export const OriginalText = z.record(z.string(), z.string());
export type OriginalText = z.infer<typeof OriginalText>;

/** What is sealed: the reporter's name, phone and ID number as given. */
export const ReporterIdentity = z.object({
  name: z.string().min(1).max(100),
  phone: z.string().min(3).max(40).optional(),
  idNumber: z.string().min(5).max(40).optional(),
});
export type ReporterIdentity = z.infer<typeof ReporterIdentity>;

/**
 * The reporter as events carry it. A real-name reporter travels as a keyed hash (for merging, DESIGN §6 rule 8)
 * plus the sealed identity; an anonymous one as the hash of their receipt code, which only they hold.
 */
export const WireReporter = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("anonymous"),
    receiptHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
  }),
  z.object({ kind: z.literal("real-name"), hash: z.string().regex(/^[0-9a-f]{64}$/), identity: SealedIdentity }),
]);
export type WireReporter = z.infer<typeof WireReporter>;
