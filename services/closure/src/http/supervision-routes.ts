import { StorableText } from "@clueline/contracts";
import type { Database } from "@clueline/db";
import { type Caller, forbidden, HttpProblem, hasScope, leadersOf, unitsOf } from "@clueline/kit";
import { createRoute, z } from "@hono/zod-openapi";
import type { Ledger } from "../ledger/ledger.js";
import { readAssignmentOwner } from "../queries/assignment-owner.js";
import { decodeCursor, encodeCursor } from "../queries/list-clues.js";
import { listExtensionRequests } from "../supervision/read-extension-requests.js";
import { listOrders, type OrderVisibility, readOrderParties } from "../supervision/read-orders.js";
import { ExtensionRequestNotFound, SupervisionOrderNotFound, SupervisionRefused } from "../supervision/supervision-rules.js";
import { notFound, toHttpError } from "./access.js";
import { bearerSecurity, createRouter } from "./http-env.js";
import { Cursor, Ulid, UnitId } from "./parameters.js";

const problem = { description: "Problem details (RFC 9457)" };

/** A civil date the ledger can store (PostgreSQL refuses year 0 with a 500): YYYY-MM-DD from 2000 to 2199. */
const Day = z
  .string()
  .regex(/^2[01]\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { error: "expected YYYY-MM-DD, from 2000 to 2199", abort: true })
  .pipe(z.iso.date({ error: "not a real calendar date" }));

const OrderState = z.enum(["open", "answered", "escalated"]);

const SupervisionOrder = z
  .object({
    orderId: z.string(),
    clueId: z.string(),
    state: OrderState,
    unitId: z.string(),
    deadline: z.object({ kind: z.string(), dueOn: z.string().nullable(), assignmentId: z.string().nullable() }),
    issuedAt: z.string(),
    answerDueOn: z.string().nullable(),
    answer: z.object({ explanation: z.string(), promisedOn: z.string(), answeredAt: z.string() }).nullable(),
    escalation: z.object({ leaderId: z.string().nullable(), escalatedAt: z.string() }).nullable(),
  })
  .openapi("SupervisionOrder");

const SupervisionOrderPage = z
  .object({ items: z.array(SupervisionOrder), nextCursor: z.string().nullable() })
  .openapi("SupervisionOrderPage");

const ExtensionRequest = z
  .object({
    requestId: z.string(),
    clueId: z.string(),
    assignmentId: z.string(),
    unitId: z.string(),
    kind: z.string(),
    workingDays: z.int(),
    state: z.enum(["pending", "granted", "refused"]),
    dueOn: z.string(),
    newDueOn: z.string().nullable(),
  })
  .openapi("ExtensionRequest");

const listRoute = createRoute({
  method: "get",
  path: "/v1/supervision-orders",
  summary: "Supervision orders (督办), newest first",
  description: [
    "A supervision order is written when a clock is missed (DESIGN §7) and is addressed to the late unit, which answers",
    "it by its own deadline (`answerDueOn`, `policy.supervisionAnswerWorkingDays` working days); one left unanswered",
    "escalates (提级督办) to the leader the directory names for the unit. `commission` sees every order; `unit:<id>`",
    "those addressed to its units; `leader:<id>` those escalated to it. `state` and `unit` (the addressee) filter.",
  ].join(" "),
  security: bearerSecurity,
  request: {
    query: z.object({
      state: OrderState.optional(),
      unit: UnitId.optional(),
      cursor: Cursor.optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
  },
  responses: {
    200: { description: "One page", content: { "application/json": { schema: SupervisionOrderPage } } },
    400: problem,
    403: problem,
  },
});

const answerRoute = createRoute({
  method: "post",
  path: "/v1/supervision-orders/{orderId}/answer",
  summary: "Answer a supervision order: explanation and promised day",
  description: [
    "Only the unit the order is addressed to (`unit:<id>`), while the order is open; 409 once it was answered or",
    "escalated. `promisedOn` is the day the unit promises to finish (today at the earliest, a year ahead at most).",
    "The explanation is scrubbed of contacts and the reporter's identity and stays in the ledger;",
    "`supervision.answered` goes to the lifecycle topic. A caller who may see the order but is not its unit gets 403;",
    "anyone else 404, as for an order that does not exist.",
  ].join(" "),
  security: bearerSecurity,
  request: {
    params: z.object({ orderId: Ulid }),
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.object({ explanation: StorableText.trim().min(1).max(4_000), promisedOn: Day }),
        },
      },
    },
  },
  responses: {
    200: { description: "The order, answered", content: { "application/json": { schema: SupervisionOrder } } },
    400: problem,
    403: problem,
    404: problem,
    409: problem,
  },
});

const requestRoute = createRoute({
  method: "post",
  path: "/v1/assignments/{assignmentId}/extension-requests",
  summary: "Ask for more time on an assignment (延期申请)",
  description: [
    "The unit holding the assignment asks for `workingDays` more on one of its running clocks: `kind` (`accept` or",
    "`conclude`), or by default the assignment's latest running clock. The commission grants or refuses it. 409 when",
    "the assignment is finished, has no running dated clock, or a request on that clock awaits a decision. The reason",
    "is scrubbed of contacts and the reporter's identity and stays in the ledger. Anyone else finds no such assignment.",
  ].join(" "),
  security: bearerSecurity,
  request: {
    params: z.object({ assignmentId: Ulid }),
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.object({
            kind: z.enum(["accept", "conclude"]).optional(),
            workingDays: z.int().min(1).max(60),
            reason: StorableText.trim().min(1).max(4_000),
          }),
        },
      },
    },
  },
  responses: {
    201: { description: "The request, pending", content: { "application/json": { schema: ExtensionRequest } } },
    400: problem,
    404: problem,
    409: problem,
  },
});

const decisionRoute = createRoute({
  method: "post",
  path: "/v1/extension-requests/{requestId}/decision",
  summary: "Grant or refuse an extension request",
  description: [
    "For the district commission (`commission`). `grant` moves the clock's due date `workingDays` working days past",
    "its current one on the statutory calendar; its reminder and overdue follow the new date (`extension.granted`).",
    "`refuse` leaves it (`extension.refused`). Each request is decided once (409 after); a grant on a clock met or",
    "overdue in the meantime is 409.",
  ].join(" "),
  security: bearerSecurity,
  request: {
    params: z.object({ requestId: Ulid }),
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.object({ decision: z.enum(["grant", "refuse"]), note: StorableText.trim().min(1).max(4_000).optional() }),
        },
      },
    },
  },
  responses: {
    200: { description: "The request, decided", content: { "application/json": { schema: ExtensionRequest } } },
    400: problem,
    403: problem,
    404: problem,
    409: problem,
  },
});

const ExtensionRequestPage = z
  .object({
    items: z.array(
      ExtensionRequest.extend({ reason: z.string(), requestedAt: z.string(), decidedAt: z.string().nullable() }).openapi(
        "ExtensionRequestListItem",
      ),
    ),
    nextCursor: z.string().nullable(),
  })
  .openapi("ExtensionRequestPage");

const listRequestsRoute = createRoute({
  method: "get",
  path: "/v1/extension-requests",
  summary: "Extension requests (延期申请), newest first",
  description: [
    "`commission` sees every request (to decide the pending ones), `unit:<id>` its units' own. `state` and `unit`",
    "filter. `dueOn` is the clock's due date when it was asked for (the current one while pending), `newDueOn` the",
    "date a grant gave it.",
  ].join(" "),
  security: bearerSecurity,
  request: {
    query: z.object({
      state: z.enum(["pending", "granted", "refused"]).optional(),
      unit: UnitId.optional(),
      cursor: Cursor.optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
  },
  responses: {
    200: { description: "One page", content: { "application/json": { schema: ExtensionRequestPage } } },
    400: problem,
    403: problem,
  },
});

function visibilityOf(caller: Caller): OrderVisibility | null {
  if (hasScope(caller, "commission")) return { all: true };
  const units = unitsOf(caller);
  const leaders = leadersOf(caller);
  return units.length + leaders.length > 0 ? { all: false, units, leaders } : null;
}

function toProblem(error: unknown): unknown {
  if (error instanceof SupervisionRefused) {
    return new HttpProblem({ status: 409, slug: error.reason, title: "Not possible in this state", detail: error.message });
  }
  if (error instanceof SupervisionOrderNotFound) return notFound("supervision order");
  if (error instanceof ExtensionRequestNotFound) return notFound("extension request");
  return toHttpError(error);
}

/** Supervision orders as work (督办, 提级督办) and extension requests (延期申请), DESIGN §7. */
export function createSupervisionRoutes(deps: { db: Database; ledger: Ledger; afterChange?: () => void }) {
  const router = createRouter();
  const afterChange = deps.afterChange ?? (() => undefined);

  router.openapi(listRoute, async (c) => {
    const visibility = visibilityOf(c.get("caller"));
    if (visibility === null) throw forbidden("requires commission, unit:<id> or leader:<id>");
    const query = c.req.valid("query");
    const page = await listOrders(deps.db, {
      visibility,
      filters: { state: query.state, unit: query.unit },
      after: decodeCursor(query.cursor),
      limit: query.limit,
    });
    return c.json({ items: page.items, nextCursor: page.lastSeq ? encodeCursor(page.lastSeq) : null }, 200);
  });

  router.openapi(answerRoute, async (c) => {
    const caller = c.get("caller");
    const { orderId } = c.req.valid("param");
    const parties = await readOrderParties(deps.db, orderId);
    if (parties === null) throw notFound("supervision order");
    if (!unitsOf(caller).includes(parties.unitId)) {
      const sees =
        hasScope(caller, "commission") ||
        (parties.state === "escalated" && parties.leaderId !== null && leadersOf(caller).includes(parties.leaderId));
      throw sees ? forbidden("only the unit the order is addressed to answers it") : notFound("supervision order");
    }
    const body = c.req.valid("json");
    await deps.ledger
      .answerSupervisionOrder({ orderId, unitId: parties.unitId, subject: caller.subject, ...body })
      .catch((error: unknown) => {
        throw toProblem(error);
      });
    afterChange();
    const [order] = (await listOrders(deps.db, { visibility: { all: true }, filters: {}, after: null, limit: 1, orderId })).items;
    if (!order) throw notFound("supervision order");
    return c.json(order, 200);
  });

  router.openapi(requestRoute, async (c) => {
    const caller = c.get("caller");
    const { assignmentId } = c.req.valid("param");
    const owner = await readAssignmentOwner(deps.db, assignmentId);
    if (!owner || !unitsOf(caller).includes(owner.unitId)) throw notFound("assignment");
    const body = c.req.valid("json");
    const request = await deps.ledger
      .requestExtension({ assignmentId, unitId: owner.unitId, subject: caller.subject, ...body })
      .catch((error: unknown) => {
        throw toProblem(error);
      });
    afterChange();
    return c.json(request, 201);
  });

  router.openapi(listRequestsRoute, async (c) => {
    const caller = c.get("caller");
    const units = hasScope(caller, "commission") ? null : unitsOf(caller);
    if (units !== null && units.length === 0) throw forbidden("requires commission or unit:<id>");
    const query = c.req.valid("query");
    const page = await listExtensionRequests(deps.db, {
      units,
      state: query.state,
      unit: query.unit,
      after: decodeCursor(query.cursor),
      limit: query.limit,
    });
    return c.json({ items: page.items, nextCursor: page.lastSeq ? encodeCursor(page.lastSeq) : null }, 200);
  });

  router.openapi(decisionRoute, async (c) => {
    const caller = c.get("caller");
    if (!hasScope(caller, "commission")) throw forbidden("requires the commission scope");
    const { requestId } = c.req.valid("param");
    const body = c.req.valid("json");
    const decided = await deps.ledger
      .decideExtension({ requestId, decision: body.decision, note: body.note, subject: caller.subject })
      .catch((error: unknown) => {
        throw toProblem(error);
      });
    afterChange();
    return c.json(decided, 200);
  });

  return router;
}
