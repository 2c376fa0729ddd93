import { StorableText, type WireReporter } from "@clueline/contracts";
import { hashReceiptCode, type IdentitySealer } from "@clueline/identity";
import { z } from "@hono/zod-openapi";

// Reasons name the rule, never the value: a rejected phone must not come back in the error body (DESIGN §8).
const Phone = StorableText.trim()
  .regex(/^\+?[0-9][0-9 ()-]{2,38}$/, "must be a phone number: digits, spaces, ( ) - and an optional leading +")
  .refine((value) => value.replace(/[^0-9]/g, "").length >= 3, "must have at least 3 digits");
const IdNumber = StorableText.trim().regex(/^[0-9A-Za-z]{5,40}$/, "must be an ID number of 5–40 letters and digits");

/**
 * The reporter as a caller sends it: anonymous (匿名), or real-name (实名) with a name and at least a phone or an
 * ID number, because a real-name reporter is owed notices and the contact is what merging hashes (DESIGN §6 rule 8).
 */
export const ReporterInput = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("anonymous") }),
    z
      .object({
        kind: z.literal("real-name"),
        name: StorableText.trim().min(1).max(100),
        phone: Phone.optional(),
        idNumber: IdNumber.optional(),
      })
      .refine((reporter) => reporter.phone !== undefined || reporter.idNumber !== undefined, {
        message: "a real-name reporter needs a phone or an ID number",
        path: ["phone"],
      }),
  ])
  .openapi("Reporter", {
    description: "Encrypted at the edge (AES-256-GCM); never logged, never echoed in an error.",
    example: { kind: "real-name", name: "张三", phone: "13800138000" },
  });
export type ReporterInput = z.infer<typeof ReporterInput>;

/** The reporter as the event carries it, and the receipt code to hand back once (anonymous reporters only). */
export interface SealedReporter {
  wire: WireReporter;
  receiptCode: string | undefined;
}

/**
 * Real-name: the identity sealed under the active key, bound to its complaint, plus the keyed merge hash.
 * Anonymous: a receipt code, of which only the hash goes on the wire. `receiptCode` is called only for anonymous
 * reporters.
 *
 * @example
 * const { wire, receiptCode } = sealReporter({ reporter, sealer, complaintId, receiptCode: () => codes.issue(scope) });
 */
export function sealReporter(options: {
  reporter: ReporterInput;
  sealer: IdentitySealer;
  complaintId: string;
  receiptCode: () => string;
}): SealedReporter {
  const { reporter, sealer } = options;
  if (reporter.kind === "anonymous") {
    const receiptCode = options.receiptCode();
    return { wire: { kind: "anonymous", receiptHash: hashReceiptCode(receiptCode) }, receiptCode };
  }
  const identity = { name: reporter.name, phone: reporter.phone, idNumber: reporter.idNumber };
  const hash = sealer.mergeHash(identity);
  // The schema above guarantees a phone or an ID number, so there is always something to hash.
  if (hash === undefined) throw new TypeError("real-name reporter without a contact to hash");
  return {
    wire: { kind: "real-name", hash, identity: sealer.seal(identity, { complaintId: options.complaintId }) },
    receiptCode: undefined,
  };
}
