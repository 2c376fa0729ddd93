import { edgeEnv, refineEdgeEnv } from "@clueline/edge";
import { authEnv, commonEnv, SERVICE_AUDIENCES } from "@clueline/kit";
import { z } from "zod";
import { WebhookSenders } from "./webhook-senders.js";

/**
 * The media service's environment. Shared edge variables (identity keys, S3, idempotency, the directory file) are
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
     * The monitoring systems that may call the webhook, each with its own secrets:
     * `monitor-a:<secret>|<older secret>,monitor-b:<secret>` (ids of [a-z0-9-], secrets ≥ 32 characters, no secret
     * shared between senders). A sender names itself in `x-clueline-sender` and only its own secrets are tried;
     * its deliveries act as `webhook:<id>`. Rotation: add the new secret after `|`, move the sender, drop the old.
     * The name ends in SECRETS so that the start-up log masks it.
     */
    MEDIA_WEBHOOK_SENDER_SECRETS: WebhookSenders,
    /**
     * Retired: one list of secrets shared by every sender, all acting as `media-webhook`. A start with it set fails
     * and says what to write instead: `MEDIA_WEBHOOK_SENDER_SECRETS=<sender-id>:<the same secret>`.
     */
    MEDIA_WEBHOOK_SECRETS: z
      .never({
        error:
          "is retired: give each monitoring system an id and its own secrets in MEDIA_WEBHOOK_SENDER_SECRETS=<sender-id>:<secret>[|<older secret>],… and have it send x-clueline-sender: <sender-id>",
      })
      .optional(),
    /**
     * A signed delivery is accepted this long around its timestamp, and its signature remembered in S3 (under
     * `webhook-replay/` in S3_BUCKET, so across restarts and instances) until the window has passed; 5 min.
     */
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
