import type { IntakeReceived } from "@clueline/contracts";
import {
  type Acceptor,
  type Authenticator,
  acceptedResponse,
  BEARER,
  type EdgeApp,
  guard,
  IdempotencyHeaders,
  problemResponses,
} from "@clueline/edge";
import { createRoute } from "@hono/zod-openapi";
import { Report, reportSubmission } from "./report.js";

/** 20,000 characters of CJK text is 60 KB; 128 KB leaves room for hints and evidence references. */
export const REPORT_MAX_BYTES = 128 * 1024;

/**
 * `POST /v1/reports`: one report, answered 202 with the complaint id (and, for an anonymous reporter, the receipt
 * code, once) after Kafka acknowledged it.
 *
 * @example
 * registerPostReport(app, { acceptor, auth });
 */
export function registerPostReport(
  app: EdgeApp,
  options: { acceptor: Acceptor<typeof IntakeReceived>; auth: Authenticator },
): void {
  const route = createRoute({
    method: "post",
    path: "/v1/reports",
    summary: "File a report",
    description:
      "Web, app, service-hall opinion book, special supervisor or scanned letter. Accepted (202) only after the broker " +
      "acknowledged the event on `clueline.intake.received.v1`. An anonymous reporter's receipt code is shown once.",
    security: [{ [BEARER]: [] }],
    middleware: guard({ auth: options.auth, scope: "complaint:write", maxBytes: REPORT_MAX_BYTES }),
    request: {
      headers: IdempotencyHeaders,
      body: { required: true, content: { "application/json": { schema: Report } } },
    },
    responses: { 202: acceptedResponse, ...problemResponses(400, 401, 403, 409, 413, 415, 503) },
  });

  app.openapi(route, async function postReport(c) {
    const report = c.req.valid("json");
    const { value, replayed } = await options.acceptor.acceptOne({
      caller: c.get("caller"),
      idempotencyKey: c.req.valid("header")["idempotency-key"],
      operation: "post-report",
      body: report,
      requestId: c.get("requestId"),
      submission: reportSubmission(report),
    });
    if (replayed) c.header("idempotent-replayed", "true");
    return c.json(value, 202);
  });
}
