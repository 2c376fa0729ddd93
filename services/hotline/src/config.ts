import { edgeEnv, refineEdgeEnv } from "@clueline/edge";
import { authEnv, commonEnv, SERVICE_AUDIENCES } from "@clueline/kit";
import { z } from "zod";

/**
 * The hotline service's environment. Shared edge variables (identity keys, S3, idempotency, the directory file) are
 * documented in `edgeEnv`, token checks in `authEnv`; `commonEnv` covers logging and Kafka.
 *
 * @example
 * const config = loadConfig(HotlineConfig, process.env);
 */
export const HotlineConfig = z
  .object({
    ...commonEnv,
    ...authEnv(SERVICE_AUDIENCES.hotline),
    ...edgeEnv,
    /** HTTP port of the hotline edge. */
    PORT: z.coerce.number().int().min(0).max(65_535).default(8081),
    /** Largest call recording accepted; 50 MB holds about an hour of 96 kbit/s MP3. */
    RECORDING_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(50 * 1024 * 1024),
  })
  .superRefine(refineEdgeEnv);
export type HotlineConfig = z.infer<typeof HotlineConfig>;
