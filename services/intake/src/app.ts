import { intakeReceivedTopic } from "@clueline/contracts";
import {
  createAcceptor,
  createAuthenticator,
  createEdgeApp,
  type EdgeApp,
  type EdgeDeps,
  registerEvidenceUpload,
} from "@clueline/edge";
import { registerPostReport } from "./post-report-route.js";

/** Photos, scans and PDFs; anything else is refused with 415 before it is stored. */
export const ATTACHMENT_TYPES = ["image/jpeg", "image/png", "image/webp", "image/heic", "application/pdf"];

export interface IntakeDeps extends EdgeDeps {
  /** `intakeReceived` is prefixed in tests (`TOPIC_PREFIX`), so any name goes. */
  topics: { intakeReceived: string };
  attachmentMaxBytes: number;
}

/**
 * The intake edge: reports from web and app, service-hall opinion books (服务意见簿), special supervisors
 * (特约监察员) and scanned letters, with their attachments.
 *
 * @example
 * const app = createApp({ ...edgeDeps, topics: prefixedTopicNames(config.TOPIC_PREFIX), attachmentMaxBytes });
 */
export function createApp(deps: IntakeDeps): EdgeApp {
  const app = createEdgeApp({
    service: "intake",
    version: deps.version ?? "0.0.0",
    description: "Reports from web, app, service halls, special supervisors and letters.",
    logger: deps.logger,
    readiness: deps.readiness,
    maxBodyBytes: deps.attachmentMaxBytes,
  });
  const auth = createAuthenticator({ verifier: deps.verifier });
  const acceptor = createAcceptor({
    ...deps,
    topic: intakeReceivedTopic,
    topicName: deps.topics.intakeReceived,
    source: "/clueline/intake",
  });
  registerPostReport(app, { acceptor, auth });
  registerEvidenceUpload(app, {
    path: "/v1/attachments",
    summary: "Upload an attachment (image or PDF)",
    contentTypes: ATTACHMENT_TYPES,
    maxBytes: deps.attachmentMaxBytes,
    scope: "complaint:write",
    auth,
    store: deps.evidence,
    idempotency: deps.idempotency,
    logger: deps.logger,
  });
  return app;
}
