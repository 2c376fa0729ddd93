import { CallBackResult, newId } from "@clueline/contracts";
import type { Database } from "@clueline/db";
import { forbidden, HttpProblem, hasScope } from "@clueline/kit";
import { getConnInfo } from "@hono/node-server/conninfo";
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ClientAddressOf } from "../feedback/client-address.js";
import type { RateLimiter } from "../feedback/rate-limiter.js";
import { lookUpReceipt } from "../feedback/receipt-lookup.js";
import { appendAudit } from "../ledger/events/ledger-events.js";
import type { Ledger } from "../ledger/ledger.js";
import { CallBackTask, listDueCallBacks, readCallBackTask } from "../queries/call-back-tasks.js";
import { notFound, toHttpError } from "./access.js";
import { bearerSecurity, createRouter } from "./http-env.js";
import { Ulid } from "./parameters.js";
import { storableText } from "./storable-text.js";

const listRoute = createRoute({
  method: "get",
  path: "/v1/call-backs",
  summary: "Call-back tasks (回访) due now, oldest first",
  description:
    "For hotline operators (`complaint:write`) and the commission. Tasks carry no identity: the operator reads the number with `GET /v1/clues/{clueId}/reporter` (`pii:read`, audited).",
  security: bearerSecurity,
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }) },
  responses: {
    200: { description: "Due tasks", content: { "application/json": { schema: z.object({ items: z.array(CallBackTask) }) } } },
  },
});

const recordRoute = createRoute({
  method: "post",
  path: "/v1/call-backs/{taskId}/result",
  summary: "Record what the reporter said",
  description:
    "`satisfied` closes the clue; the first `dissatisfied` reopens its lead assignments; the second escalates it to the district commission; `unreachable` keeps the task due for another call in 4 hours.",
  security: bearerSecurity,
  request: {
    params: z.object({ taskId: Ulid }),
    body: {
      required: true,
      content: {
        "application/json": {
          schema: storableText(z.object({ result: CallBackResult, note: z.string().min(1).max(4_000).optional() })),
        },
      },
    },
  },
  responses: { 204: { description: "Recorded" }, 404: { description: "No such task" }, 409: { description: "Not due" } },
});

const ReceiptStatus = z
  .object({
    clueId: z.string(),
    status: z.enum(["received", "in-progress", "concluded", "replied", "transferred"]),
    receivedAt: z.string(),
    reply: z.string().nullable(),
    repliedAt: z.string().nullable(),
  })
  .openapi("ReceiptStatus");

const receiptRoute = createRoute({
  method: "post",
  path: "/v1/receipts/lookup",
  summary: "An anonymous reporter's receipt look-up",
  description:
    "Called by an intake edge (`complaint:write`) on the reporter's behalf, with the code in the body (never in a URL, which logs keep). Rate-limited per caller and client address (the connection's peer; `X-Forwarded-For` or `Forwarded` only from the proxies in `TRUSTED_PROXIES`); 429 with Retry-After beyond it. Only the hash is stored and compared, in constant time. Each hit is audited.",
  security: bearerSecurity,
  request: {
    body: { required: true, content: { "application/json": { schema: z.object({ code: z.string().min(8).max(64) }) } } },
  },
  responses: {
    200: { description: "Status and published reply", content: { "application/json": { schema: ReceiptStatus } } },
    404: { description: "No clue has this code" },
    429: { description: "Too many look-ups" },
  },
});

/** Call-back tasks for hotline operators and the anonymous reporters' receipt look-up. */
export function createFeedbackRoutes(deps: {
  db: Database;
  ledger: Ledger;
  receiptLimiter: RateLimiter;
  /** The client address look-ups are counted against (forwarding headers only from trusted proxies). */
  clientAddressOf: ClientAddressOf;
  clock: () => Date;
  afterChange?: () => void;
}) {
  const router = createRouter();

  router.openapi(listRoute, async (c) => {
    if (!hasScope(c.get("caller"), "complaint:write", "commission")) throw forbidden("requires complaint:write or commission");
    const items = await listDueCallBacks(deps.db, { now: deps.clock(), limit: c.req.valid("query").limit });
    return c.json({ items }, 200);
  });

  router.openapi(recordRoute, async (c) => {
    const caller = c.get("caller");
    if (!hasScope(caller, "complaint:write")) throw forbidden("requires complaint:write");
    const { taskId } = c.req.valid("param");
    const task = await readCallBackTask(deps.db, taskId);
    if (!task) throw notFound("call-back task");
    if (task.state !== "due")
      throw new HttpProblem({ status: 409, slug: "call-back-done", title: "This call-back was already recorded" });
    const body = c.req.valid("json");
    await deps.ledger
      .recordCallBack({ clueId: task.clueId, operatorId: caller.subject, result: body.result, note: body.note })
      .catch((error: unknown) => {
        throw toHttpError(error);
      });
    deps.afterChange?.();
    return c.body(null, 204);
  });

  router.openapi(receiptRoute, async (c) => {
    const caller = c.get("caller");
    if (!hasScope(caller, "complaint:write")) throw forbidden("requires complaint:write");
    const client = deps.clientAddressOf({ peer: peerAddressOf(c), header: (name) => c.req.header(name) });
    const allowance = deps.receiptLimiter.take(`${caller.subject}|${client}`);
    if (!allowance.allowed) {
      throw new HttpProblem({
        status: 429,
        slug: "too-many-lookups",
        title: "Too many receipt look-ups",
        headers: { "retry-after": String(allowance.retryAfterSeconds) },
      });
    }
    const status = await lookUpReceipt(deps.db, c.req.valid("json").code);
    if (!status) throw notFound("receipt");
    await deps.db.transaction((tx) =>
      appendAudit(tx, {
        auditId: newId(),
        actor: caller.subject,
        action: "receipt.lookup",
        target: { kind: "clue", id: status.clueId },
        at: deps.clock().toISOString(),
      }),
    );
    c.header("cache-control", "no-store");
    return c.json(status, 200);
  });

  return router;
}

/** The socket's peer address; undefined where no Node server stands behind the request (`app.request()` in tests). */
function peerAddressOf(c: Context): string | undefined {
  const env = c.env as { incoming?: unknown; server?: unknown } | undefined;
  return env?.incoming || env?.server ? getConnInfo(c).remote.address : undefined;
}
