import { s3SettingsOf, startEdge } from "@clueline/edge";
import { createS3ClaimStore } from "@clueline/evidence";
import { loadConfig } from "@clueline/kit";
import { createApp } from "./app.js";
import { MediaConfig } from "./config.js";

/** Expired webhook claims are deleted this often; each sweep lists only the expired slots and the first live one. */
const REPLAY_SWEEP_MS = 60_000;

const config = loadConfig(MediaConfig, process.env);
// Signatures already accepted are kept as claims in the evidence bucket the edge already uses, not in this process:
// a replay is refused after a restart and on every instance, with no store beyond S3 to run (see createS3ClaimStore).
const replay = createS3ClaimStore({ settings: s3SettingsOf(config), prefix: "webhook-replay/" });
await startEdge({
  service: "media",
  config,
  topicOf: (topics) => topics.mediaReceived,
  createApp: (deps, topics) => {
    const sweep = setInterval(() => {
      replay.sweep(deps.clock()).catch((error: unknown) => {
        deps.logger.warn({ errorClass: error instanceof Error ? error.name : "unknown" }, "webhook replay sweep failed");
      });
    }, REPLAY_SWEEP_MS);
    sweep.unref();
    return createApp({
      ...deps,
      topics,
      webhook: { senders: config.MEDIA_WEBHOOK_SENDER_SECRETS, windowSeconds: config.WEBHOOK_WINDOW_SECONDS, replay },
      attachmentMaxBytes: config.ATTACHMENT_MAX_BYTES,
    });
  },
});
