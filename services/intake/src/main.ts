import { startEdge } from "@clueline/edge";
import { loadConfig } from "@clueline/kit";
import { createApp } from "./app.js";
import { IntakeConfig } from "./config.js";

const config = loadConfig(IntakeConfig, process.env);
await startEdge({
  service: "intake",
  config,
  topicOf: (topics) => topics.intakeReceived,
  createApp: (deps, topics) => createApp({ ...deps, topics, attachmentMaxBytes: config.ATTACHMENT_MAX_BYTES }),
});
