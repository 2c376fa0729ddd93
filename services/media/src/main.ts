import { startEdge } from "@clueline/edge";
import { loadConfig } from "@clueline/kit";
import { createApp } from "./app.js";
import { MediaConfig } from "./config.js";

const config = loadConfig(MediaConfig, process.env);
await startEdge({
  service: "media",
  config,
  topicOf: (topics) => topics.mediaReceived,
  createApp: (deps, topics) =>
    createApp({
      ...deps,
      topics,
      webhook: { secrets: config.MEDIA_WEBHOOK_SECRETS, windowSeconds: config.WEBHOOK_WINDOW_SECONDS },
      attachmentMaxBytes: config.ATTACHMENT_MAX_BYTES,
    }),
});
