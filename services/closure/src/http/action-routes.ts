import { AssignmentAction } from "@clueline/contracts";
import type { Database } from "@clueline/db";
import { unitsOf } from "@clueline/kit";
import { createRoute, z } from "@hono/zod-openapi";
import type { Ledger } from "../ledger/ledger.js";
import { readAssignmentOwner } from "../queries/assignment-owner.js";
import { readClueDetail } from "../queries/clue-detail.js";
import { isClueOfUnit } from "../queries/clue-visibility.js";
import { AssignmentView } from "../queries/views.js";
import { actingUnit, notFound, toHttpError } from "./access.js";
import { bearerSecurity, createRouter } from "./http-env.js";
import { Ulid } from "./parameters.js";
import { storableText } from "./storable-text.js";

const problem = { description: "Problem details (RFC 9457)" };

const actRoute = createRoute({
  method: "post",
  path: "/v1/assignments/{assignmentId}/actions",
  summary: "Act on one of my unit's assignments",
  description: [
    "`accept`, `reject` (with `reason`, 不予受理; a discipline lead's goes to the commission's review, `GET /v1/returns`,",
    "instead of ending the assignment), `return` (with `reason`, 退回: misrouted; the assignment is `returned` until the",
    "commission upholds it or reassigns the work, and one upheld is not returned again), `transfer` (to another unit",
    "of the directory, or `external` to an outside body of it, 转送; an id it lacks is 400 naming `to`),",
    "`dispose` (处置方式; `complex` lengthens a service complaint's clock; a discipline clue is disposed of as",
    "`talk-or-letter` 谈话函询 or `preliminary-check` 初步核实, each starting a conclusion clock of the directory's",
    "`policy.disciplineConclusionDays`, `hold` 暂存待查 with `reviewOn`, the Beijing date it is reviewed on (after today,",
    "within 366 days; its clock runs to that date, then the unit disposes again), or `close` 予以了结, with no clock;",
    "`preliminary-verification` is the older spelling of `preliminary-check`), `progress` (with `note`), `conclude` (with",
    "`result` and `summary`, 办结), `notify` (the acceptance notice to a real-name reporter was given).",
    "Only the unit holding the assignment may act (`unit:<id>`). An action the lifecycle (DESIGN §7) does not allow",
    "in the assignment's state is refused with 409 naming the state and what is allowed.",
  ].join(" "),
  security: bearerSecurity,
  request: {
    params: z.object({ assignmentId: Ulid }),
    body: { required: true, content: { "application/json": { schema: storableText(AssignmentAction) } } },
  },
  responses: {
    200: { description: "The assignment after the action", content: { "application/json": { schema: AssignmentView } } },
    400: problem,
    404: problem,
    409: problem,
  },
});

const replyRoute = createRoute({
  method: "post",
  path: "/v1/clues/{clueId}/reply",
  summary: "Give the reporter the result (反馈)",
  description:
    "A lead unit of a concluded clue. For an anonymous reporter the reply is published for receipt look-up and the clue closes; for a real-name reporter a call-back task becomes due for the hotline.",
  security: bearerSecurity,
  request: {
    params: z.object({ clueId: Ulid }),
    body: {
      required: true,
      content: {
        "application/json": {
          schema: storableText(z.object({ reply: z.string().min(1).max(4_000), unit: z.string().optional() })),
        },
      },
    },
  },
  responses: { 204: { description: "Recorded" }, 404: problem, 409: problem },
});

/** The actions of DESIGN §7 for units. */
export function createActionRoutes(deps: { db: Database; ledger: Ledger; afterChange?: () => void }) {
  const router = createRouter();

  router.openapi(actRoute, async (c) => {
    const caller = c.get("caller");
    const { assignmentId } = c.req.valid("param");
    const owner = await readAssignmentOwner(deps.db, assignmentId);
    if (!owner || !unitsOf(caller).includes(owner.unitId)) throw notFound("assignment");
    const act = c.req.valid("json");
    await deps.ledger.act({ assignmentId, unitId: owner.unitId, subject: caller.subject, act }).catch((error: unknown) => {
      throw toHttpError(error);
    });
    deps.afterChange?.();
    const detail = await readClueDetail(deps.db, { clueId: owner.clueId, unitIds: [owner.unitId] });
    const view = detail?.assignments.find((a) => a.assignmentId === assignmentId);
    if (!view) throw notFound("assignment");
    return c.json(view, 200);
  });

  router.openapi(replyRoute, async (c) => {
    const caller = c.get("caller");
    const { clueId } = c.req.valid("param");
    const body = c.req.valid("json");
    const unitId = actingUnit(caller, body.unit);
    if (!(await isClueOfUnit(deps.db, { clueId, unitId }))) throw notFound("clue");
    await deps.ledger.feedBack({ clueId, unitId, subject: caller.subject, reply: body.reply }).catch((error: unknown) => {
      throw toHttpError(error);
    });
    deps.afterChange?.();
    return c.body(null, 204);
  });

  return router;
}
