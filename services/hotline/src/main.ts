import { startEdge } from "@clueline/edge";
import { loadConfig } from "@clueline/kit";
import { createApp } from "./app.js";
import { HotlineConfig } from "./config.js";

const config = loadConfig(HotlineConfig, process.env);
await startEdge({
  service: "hotline",
  config,
  topicOf: (topics) => topics.hotlineReceived,
  createApp: (deps, topics) => createApp({ ...deps, topics, recordingMaxBytes: config.RECORDING_MAX_BYTES }),
});
