import { StorableText } from "@clueline/contracts";
import type { Database } from "@clueline/db";
import { type Caller, forbidden, hasScope, unitsOf } from "@clueline/kit";
import { createRoute, z } from "@hono/zod-openapi";
import type { Ledger } from "../ledger/ledger.js";
import { decodeCursor, encodeCursor } from "../queries/list-clues.js";
import { listReturns } from "../returns/read-returns.js";
import { ReturnNotFound } from "../returns/returns-rules.js";
import { assertVisible, notFound, toHttpError } from "./access.js";
import { bearerSecurity, createRouter } from "./http-env.js";
import { Cursor, Ulid, UnitId } from "./parameters.js";

const problem = { description: "Problem details (RFC 9457)" };
const Note = StorableText.trim().min(1).max(4_000);
const ReturnState = z.enum(["pending", "upheld", "reassigned"]);

const Return = z
  .object({
    returnId: z.string(),
    clueId: z.string(),
    assignmentId: z.string(),
    unitId: z.string(),
    kind: z.enum(["return", "reject"]),
    reason: z.string(),
    state: ReturnState,
    returnedAt: z.string(),
    decidedAt: z.string().nullable(),
    decisionNote: z.string().nullable(),
    reassignedTo: z.string().nullable(),
    newAssignmentId: z.string().nullable(),
  })
  .openapi("Return");

const WHO = "`commission` sees every return; `unit:<id>` the returns its units made (another's is 404, as for none).";

const listRoute = createRoute({
  method: "get",
  path: "/v1/returns",
  summary: "Returns (退回) awaiting or given the commission's review, newest first",
  description: [
    "A unit returns a misrouted assignment (`return` action, with a reason); a discipline lead's `reject` (不予受理) comes",
    `here too (\`kind: reject\`). The commission upholds or reassigns each (\`POST /v1/returns/{returnId}/decision\`). ${WHO}`,
    "`state` and `unit` (the unit that returned it) filter.",
  ].join(" "),
  security: bearerSecurity,
  request: {
    query: z.object({
      state: ReturnState.optional(),
      unit: UnitId.optional(),
      cursor: Cursor.optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
  },
  responses: {
    200: {
      description: "One page",
      content: {
        "application/json": {
          schema: z.object({ items: z.array(Return), nextCursor: z.string().nullable() }).openapi("ReturnPage"),
        },
      },
    },
    400: problem,
    403: problem,
  },
});

const showRoute = createRoute({
  method: "get",
  path: "/v1/returns/{returnId}",
  summary: "One return",
  description: WHO,
  security: bearerSecurity,
  request: { params: z.object({ returnId: Ulid }) },
  responses: {
    200: { description: "The return", content: { "application/json": { schema: Return } } },
    400: problem,
    403: problem,
    404: problem,
  },
});

const decisionRoute = createRoute({
  method: "post",
  path: "/v1/returns/{returnId}/decision",
  summary: "Uphold a return, or reassign the work (改派)",
  description: [
    "For the district commission (`commission`). `uphold`: the unit must handle it; its assignment is `assigned` again",
    "with the clocks it had, and cannot be returned again (a service department's upheld return counts toward rule 10",
    "and, like redos, against its subjects in the ranking). `reassign` to `to`, a unit of the directory (else 400 naming",
    "`to`): the returning unit's assignment ends (`reassigned`), `to` gets a fresh assignment of the same role and track",
    "with fresh clocks and sees the clue in its list and stream. Each return is decided once (409 after). The note is",
    "scrubbed of contacts and stays in the ledger. A unit that may see the return gets 403, anyone else 404.",
  ].join(" "),
  security: bearerSecurity,
  request: {
    params: z.object({ returnId: Ulid }),
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.discriminatedUnion("decision", [
            z.object({ decision: z.literal("uphold"), note: Note.optional() }),
            z.object({ decision: z.literal("reassign"), to: UnitId, note: Note.optional() }),
          ]),
        },
      },
    },
  },
  responses: {
    200: { description: "The return, decided", content: { "application/json": { schema: Return } } },
    400: problem,
    403: problem,
    404: problem,
    409: problem,
  },
});

const redoRoute = createRoute({
  method: "post",
  path: "/v1/clues/{clueId}/redo",
  summary: "Send a concluded clue back for redo (发回重办)",
  description: [
    "For the district commission (`commission`), on a clue concluded, fed back or closed, after its review of the",
    "conclusion (`basis: review`) or a dissatisfied call-back (`basis: call-back`, which needs one on the clue). The clue",
    "is open again and its concluded lead assignments reopen with fresh clocks; the reporter's result is owed anew on the",
    "next conclusion. 409 for a clue not concluded, with no concluded lead, or no dissatisfied call-back to go on. The",
    "reason is scrubbed of contacts and the reporter's identity and stays in the ledger.",
  ].join(" "),
  security: bearerSecurity,
  request: {
    params: z.object({ clueId: Ulid }),
    body: {
      required: true,
      content: { "application/json": { schema: z.object({ basis: z.enum(["review", "call-back"]), reason: Note }) } },
    },
  },
  responses: {
    200: {
      description: "The clue is open again",
      content: { "application/json": { schema: z.object({ clueId: z.string(), redoCount: z.int() }).openapi("Redo") } },
    },
    400: problem,
    403: problem,
    404: problem,
    409: problem,
  },
});

/** The units whose returns a caller sees: all (null) for the commission; 403 for a caller that is neither. */
function seenBy(caller: Caller): string[] | null {
  if (hasScope(caller, "commission")) return null;
  const units = unitsOf(caller);
  if (units.length === 0) throw forbidden("requires commission or unit:<id>");
  return units;
}

function toProblem(error: unknown): unknown {
  return error instanceof ReturnNotFound ? notFound("return") : toHttpError(error);
}

/** Returns (退回) and their review, reassignment (改派) and redo (发回重办): DESIGN §7's work loop. */
export function createReturnsRoutes(deps: { db: Database; ledger: Ledger; afterChange?: () => void }) {
  const router = createRouter();
  const afterChange = deps.afterChange ?? (() => undefined);
  const one = async (returnId: string, units: string[] | null) =>
    (await listReturns(deps.db, { units, returnId, after: null, limit: 1 })).items[0];

  router.openapi(listRoute, async (c) => {
    const units = seenBy(c.get("caller"));
    const query = c.req.valid("query");
    const page = await listReturns(deps.db, {
      units,
      state: query.state,
      unit: query.unit,
      after: decodeCursor(query.cursor),
      limit: query.limit,
    });
    return c.json({ items: page.items, nextCursor: page.lastSeq ? encodeCursor(page.lastSeq) : null }, 200);
  });

  router.openapi(showRoute, async (c) => {
    const found = await one(c.req.valid("param").returnId, seenBy(c.get("caller")));
    if (!found) throw notFound("return");
    return c.json(found, 200);
  });

  router.openapi(decisionRoute, async (c) => {
    const caller = c.get("caller");
    const { returnId } = c.req.valid("param");
    if (!hasScope(caller, "commission")) {
      const own = await one(returnId, seenBy(caller));
      throw own ? forbidden("only the commission decides a return") : notFound("return");
    }
    const body = c.req.valid("json");
    const decision = body.decision === "reassign" ? { decision: body.decision, to: body.to } : { decision: body.decision };
    await deps.ledger
      .decideReturn({ returnId, ...decision, note: body.note, subject: caller.subject })
      .catch((error: unknown) => {
        throw toProblem(error);
      });
    afterChange();
    const decided = await one(returnId, null);
    if (!decided) throw notFound("return");
    return c.json(decided, 200);
  });

  router.openapi(redoRoute, async (c) => {
    const caller = c.get("caller");
    const { clueId } = c.req.valid("param");
    if (!hasScope(caller, "commission")) {
      // A unit that sees the clue learns only that it may not; a unit that does not, that there is no such clue.
      if (unitsOf(caller).length > 0) await assertVisible(deps.db, caller, clueId);
      throw forbidden("only the commission sends a clue back for redo");
    }
    const body = c.req.valid("json");
    const { redoCount } = await deps.ledger.redo({ clueId, ...body, subject: caller.subject }).catch((error: unknown) => {
      throw toProblem(error);
    });
    afterChange();
    return c.json({ clueId, redoCount }, 200);
  });

  return router;
}
