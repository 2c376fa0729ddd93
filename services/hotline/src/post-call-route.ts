import type { HotlineReceived } from "@clueline/contracts";
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
import { CallRecord, callSubmission } from "./call-record.js";

/** A call record is a few KB; 64 KB leaves room for a long summary in CJK (3 bytes a character) and hints. */
export const CALL_MAX_BYTES = 64 * 1024;

/**
 * `POST /v1/calls`: one call record, answered 202 with the complaint id once Kafka acknowledged it.
 *
 * @example
 * registerPostCall(app, { acceptor, auth });
 */
export function registerPostCall(
  app: EdgeApp,
  options: { acceptor: Acceptor<typeof HotlineReceived>; auth: Authenticator },
): void {
  const route = createRoute({
    method: "post",
    path: "/v1/calls",
    summary: "Push one call record",
    description: "Accepted (202) only after the broker acknowledged the event on `clueline.hotline.received.v1`.",
    security: [{ [BEARER]: [] }],
    middleware: guard({ auth: options.auth, scope: "complaint:write", maxBytes: CALL_MAX_BYTES }),
    request: {
      headers: IdempotencyHeaders,
      body: { required: true, content: { "application/json": { schema: CallRecord } } },
    },
    responses: { 202: acceptedResponse, ...problemResponses(400, 401, 403, 409, 413, 415, 503) },
  });

  app.openapi(route, async function postCall(c) {
    const call = c.req.valid("json");
    const { value, replayed } = await options.acceptor.acceptOne({
      caller: c.get("caller"),
      idempotencyKey: c.req.valid("header")["idempotency-key"],
      operation: "post-call",
      body: call,
      requestId: c.get("requestId"),
      submission: callSubmission(call),
    });
    if (replayed) c.header("idempotent-replayed", "true");
    return c.json(value, 202);
  });
}
