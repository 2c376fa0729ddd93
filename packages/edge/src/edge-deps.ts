import type { Publisher } from "@clueline/bus";
import type { EvidenceStore } from "@clueline/evidence";
import type { IdentitySealer } from "@clueline/identity";
import type { ReadinessChecks, TokenVerifier } from "@clueline/kit";
import type { Logger } from "pino";
import type { CategoryCodes } from "./category-hints.js";
import type { IdempotencyStore } from "./idempotency-store.js";
import type { ReceiptCodes } from "./receipt-code.js";

/**
 * What every edge's `createApp` is given by hand: `main.ts` passes real clients, tests pass real or throwaway
 * ones (an in-memory publisher, a publisher pointed at a closed port, a fixed clock).
 */
export interface EdgeDeps {
  /** Resolves only once the broker acknowledged (acks = all); rejects with RetryableOutage otherwise. */
  publisher: Pick<Publisher, "publishAll">;
  evidence: Pick<EvidenceStore, "put">;
  sealer: IdentitySealer;
  receiptCodes: ReceiptCodes;
  idempotency: IdempotencyStore;
  logger: Logger;
  clock: () => Date;
  /** The taxonomy of the directory in force (see `createDirectoryHolder`), which `categoryHints` are checked against. */
  categoryCodes: () => CategoryCodes;
  /** Checks callers' bearer tokens against the issuer's public keys. */
  verifier: TokenVerifier;
  readiness?: ReadinessChecks;
  /** Reported in the OpenAPI document. */
  version?: string;
}
