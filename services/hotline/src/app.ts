import { hotlineReceivedTopic } from "@clueline/contracts";
import {
  createAcceptor,
  createAuthenticator,
  createEdgeApp,
  type EdgeApp,
  type EdgeDeps,
  registerEvidenceUpload,
} from "@clueline/edge";
import { registerPostCallBatch } from "./post-call-batch-route.js";
import { registerPostCall } from "./post-call-route.js";

/** Audio formats hotline switches record in; anything else is refused with 415 before it is stored. */
export const RECORDING_TYPES = ["audio/mpeg", "audio/wav", "audio/x-wav", "audio/amr", "audio/ogg", "audio/mp4", "audio/aac"];

export interface HotlineDeps extends EdgeDeps {
  /** `hotlineReceived` is prefixed in tests (`TOPIC_PREFIX`), so any name goes. */
  topics: { hotlineReceived: string };
  recordingMaxBytes: number;
}

/**
 * The hotline edge (12345 and 12388): call records one by one or in batches, and call recordings.
 *
 * @example
 * const app = createApp({ ...edgeDeps, topics: prefixedTopicNames(config.TOPIC_PREFIX), recordingMaxBytes });
 * await startHttpServer({ app, port: config.PORT });
 */
export function createApp(deps: HotlineDeps): EdgeApp {
  const app = createEdgeApp({
    service: "hotline",
    version: deps.version ?? "0.0.0",
    description: "Call records from the 12345 government hotline and the 12388 discipline reporting line.",
    logger: deps.logger,
    readiness: deps.readiness,
    maxBodyBytes: deps.recordingMaxBytes,
  });
  const auth = createAuthenticator({ verifier: deps.verifier });
  const acceptor = createAcceptor({
    ...deps,
    topic: hotlineReceivedTopic,
    topicName: deps.topics.hotlineReceived,
    source: "/clueline/hotline",
  });
  registerPostCall(app, { acceptor, auth });
  registerPostCallBatch(app, { acceptor, auth });
  registerEvidenceUpload(app, {
    path: "/v1/recordings",
    summary: "Upload a call recording",
    contentTypes: RECORDING_TYPES,
    maxBytes: deps.recordingMaxBytes,
    scope: "complaint:write",
    auth,
    store: deps.evidence,
    idempotency: deps.idempotency,
    logger: deps.logger,
  });
  return app;
}
