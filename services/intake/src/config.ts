import { edgeEnv, refineEdgeEnv } from "@clueline/edge";
import { authEnv, commonEnv, SERVICE_AUDIENCES } from "@clueline/kit";
import { z } from "zod";

/**
 * The intake service's environment. Shared edge variables (identity keys, S3, idempotency, the directory file) are
 * documented in `edgeEnv`, token checks in `authEnv`; `commonEnv` covers logging and Kafka.
 *
 * @example
 * const config = loadConfig(IntakeConfig, process.env);
 */
export const IntakeConfig = z
  .object({
    ...commonEnv,
    ...authEnv(SERVICE_AUDIENCES.intake),
    ...edgeEnv,
    /** HTTP port of the intake edge. */
    PORT: z.coerce.number().int().min(0).max(65_535).default(8082),
    /** Largest attachment accepted; 20 MB holds a multi-page scanned letter as PDF or a phone photo. */
    ATTACHMENT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(20 * 1024 * 1024),
  })
  .superRefine(refineEdgeEnv);
export type IntakeConfig = z.infer<typeof IntakeConfig>;
