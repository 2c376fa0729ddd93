import { type HotlineReceived, problemsOf } from "@clueline/contracts";
import {
  type Acceptor,
  type Authenticator,
  type BatchItem,
  BEARER,
  type EdgeApp,
  guard,
  IdempotencyHeaders,
  problemResponses,
} from "@clueline/edge";
import { createRoute, z } from "@hono/zod-openapi";
import { CallRecord, callSubmission } from "./call-record.js";

/** Bounded so one request stays one producer batch and answers within the publish timeout. */
export const BATCH_MAX_RECORDS = 500;
/** 500 records of up to ~8 KB each; a batch of longer records should be split. */
export const BATCH_MAX_BYTES = 4 * 1024 * 1024;

// Items are validated one by one in the handler, so one bad record does not refuse the others; the document
// still shows the item schema.
const CallBatch = z
  .object({
    records: z
      .array(z.unknown())
      .min(1)
      .max(BATCH_MAX_RECORDS)
      .openapi({ items: { $ref: "#/components/schemas/CallRecord" } }),
  })
  .openapi("CallBatch");

const BatchResult = z
  .object({
    accepted: z.number().int(),
    refused: z.number().int(),
    results: z.array(
      z.object({
        index: z.number().int(),
        status: z.union([z.literal(202), z.literal(400)]),
        complaintId: z.string().optional(),
        receivedAt: z.string().optional(),
        receiptCode: z.string().optional(),
        errors: z.array(z.object({ path: z.string(), reason: z.string() })).optional(),
      }),
    ),
  })
  .openapi("CallBatchResult");

/**
 * `POST /v1/calls/batch`: up to {@link BATCH_MAX_RECORDS} call records; each is answered on its own (202 with a
 * complaint id, or 400 with its problems) and the valid ones are published as one batch before the answer.
 *
 * @example
 * registerPostCallBatch(app, { acceptor, auth });
 */
export function registerPostCallBatch(
  app: EdgeApp,
  options: { acceptor: Acceptor<typeof HotlineReceived>; auth: Authenticator },
): void {
  const route = createRoute({
    method: "post",
    path: "/v1/calls/batch",
    summary: "Push many call records at once",
    description: "200 with one result per record; accepted ones were acknowledged by the broker. Kafka down: 503, none accepted.",
    security: [{ [BEARER]: [] }],
    middleware: guard({ auth: options.auth, scope: "complaint:write", maxBytes: BATCH_MAX_BYTES }),
    request: { headers: IdempotencyHeaders, body: { required: true, content: { "application/json": { schema: CallBatch } } } },
    responses: {
      200: { description: "One result per record", content: { "application/json": { schema: BatchResult } } },
      ...problemResponses(400, 401, 403, 409, 413, 415, 503),
    },
  });

  app.openapi(route, async function postCallBatch(c) {
    const batch = c.req.valid("json");
    const items = batch.records.map((record, index): BatchItem<HotlineReceived> => {
      const parsed = CallRecord.safeParse(record);
      if (!parsed.success) return { index, errors: problemsOf(parsed.error.issues) };
      return { index, submission: callSubmission(parsed.data) };
    });
    const { value, replayed } = await options.acceptor.acceptBatch({
      caller: c.get("caller"),
      idempotencyKey: c.req.valid("header")["idempotency-key"],
      operation: "post-call-batch",
      body: batch,
      requestId: c.get("requestId"),
      items,
    });
    if (replayed) c.header("idempotent-replayed", "true");
    return c.json(value, 200);
  });
}
