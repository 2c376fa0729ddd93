import { edgeEnv, refineEdgeEnv } from "@clueline/edge";
import { authEnv, commonEnv, SERVICE_AUDIENCES } from "@clueline/kit";
import { z } from "zod";

/**
 * The media service's environment. Shared edge variables (identity keys, S3, idempotency) are
 * documented in `edgeEnv`, token checks in `authEnv`; `commonEnv` covers logging and Kafka.
 *
 * @example
 * const config = loadConfig(MediaConfig, process.env);
 */
export const MediaConfig = z
  .object({
    ...commonEnv,
    ...authEnv(SERVICE_AUDIENCES.media),
    ...edgeEnv,
    /** HTTP port of the media edge. */
    PORT: z.coerce.number().int().min(0).max(65_535).default(8083),
    /**
     * Shared secrets of the monitoring systems' webhook, comma-separated, each at least 32 characters. A signature
     * under any of them is accepted: add the new secret, move the senders, then drop the old one.
     */
    MEDIA_WEBHOOK_SECRETS: z
      .string()
      .transform((value) => value.split(",").map((secret) => secret.trim()))
      .refine(
        (secrets) => secrets.length > 0 && secrets.every((secret) => secret.length >= 32),
        "each secret needs ≥ 32 characters",
      ),
    /** A signed delivery is accepted this long around its timestamp and its signature remembered as long; 5 min. */
    WEBHOOK_WINDOW_SECONDS: z.coerce.number().int().min(30).max(3_600).default(300),
    /** Largest screenshot or PDF of a clipping accepted. */
    ATTACHMENT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(20 * 1024 * 1024),
  })
  .superRefine(refineEdgeEnv);
export type MediaConfig = z.infer<typeof MediaConfig>;
