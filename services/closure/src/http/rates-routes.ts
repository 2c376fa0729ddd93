import type { Database } from "@clueline/db";
import { type Caller, forbidden, hasScope, unitsOf } from "@clueline/kit";
import { createRoute, z } from "@hono/zod-openapi";
import { projectMonth } from "../rates/month-events.js";
import { rankSubjects } from "../rates/ranking.js";
import { bearerSecurity, createRouter } from "./http-env.js";
import { Month, UnitId } from "./parameters.js";

const Share = z
  .object({ numerator: z.int(), denominator: z.int(), rate: z.number().nullable() })
  .openapi("Share", { description: "numerator / denominator, rounded to 4 decimals; null when the denominator is 0" });
const UnitRates = z
  .object({ unitId: z.string(), month: z.string(), response: Share, resolution: Share, satisfaction: Share })
  .openapi("UnitRates");
const SubjectScore = z
  .object({
    kind: z.enum(["town", "department"]),
    id: z.string(),
    clues: z.int(),
    overdue: z.int(),
    conductClues: z.int(),
    response: Share,
    resolution: Share,
    satisfaction: Share,
    returnsUpheld: z.int(),
    redos: z.int(),
    supervisionOverdue: z.int(),
    score: z.number().nullable(),
  })
  .openapi("SubjectScore");

const RATE_DEFINITIONS = `Months are calendar months in China (Asia/Shanghai). For unit U and month M:

- **Response rate** (响应率) = answered on time / decided. *Decided*: U's assignments (lead or assist) made in M
  that were answered (accepted, rejected or transferred) or are unanswered with their accept due date (5 working
  days, 1 for media, by policy) before today. *On time*: answered on or before the accept due date. An assignment
  whose accept due date waits for a calendar year not yet added (\`acceptDueOn: null\` until its
  \`deadline.scheduled\` event) is not decided yet.
- **Resolution rate** (办结率) = concluded / taken on. *Taken on*: U's lead assignments made in M that U accepted
  (受理) and did not reject or transfer. *Concluded*: of those, the ones concluded now (a reopened one counts again
  only when concluded anew).
- **Satisfaction rate** (满意率) = satisfied / (satisfied + dissatisfied) over the call-backs (回访) recorded in M on
  clues U led to conclusion; unreachable reporters count in neither.

Every figure comes with its numerator and denominator. The numbers are a pure function of the events on
\`clueline.clue.lifecycle.v1\`: a downstream system rebuilds them by folding that topic (each \`ce_id\` once).`;

const ratesRoute = createRoute({
  method: "get",
  path: "/v1/rates",
  summary: "The three rates (三率) per unit for a month",
  description: `${RATE_DEFINITIONS}\n\nA \`unit:<id>\` caller sees its own units; \`commission\` and \`downstream:read\` see all.`,
  security: bearerSecurity,
  request: { query: z.object({ month: Month, unit: UnitId.optional() }) },
  responses: {
    200: { description: "Rates", content: { "application/json": { schema: z.object({ items: z.array(UnitRates) }) } } },
  },
});

const rankingRoute = createRoute({
  method: "get",
  path: "/v1/ranking",
  summary: "Red/black ranking (红黑榜) of towns and departments for a month",
  description: `Each town or department named as a subject of clues is scored on those clues: response and resolution
over the assignments of the clues opened in M naming it, satisfaction over the call-backs recorded in M on clues
naming it (definitions as for /v1/rates). *Score* = 100 × the mean of the rates that have a denominator, less 2
points for each return the commission upheld (\`returnsUpheld\`, 退回 refused), redo (\`redos\`, 发回重办) and
supervision order left unanswered past its deadline (\`supervisionOverdue\`, 提级督办) in M on clues naming it
(DESIGN §7), never below 0, one decimal. \`conductClues\`: discipline clues opened in M about a department from its
service failures (DESIGN §6 rule 10; always 0 for towns). Ranked by score, then fewer upheld returns, redos and
overdue supervision orders together, then fewer conduct clues, then fewer missed deadlines (\`overdue\`), then fewer
clues. \`red\` is the top \`size\`, \`black\` the bottom \`size\` of the rest (worst first). For \`commission\` and
\`downstream:read\`.`,
  security: bearerSecurity,
  request: { query: z.object({ month: Month, size: z.coerce.number().int().min(1).max(50).default(5) }) },
  responses: {
    200: {
      description: "Ranking",
      content: {
        "application/json": {
          schema: z.object({
            month: z.string(),
            ranking: z.array(SubjectScore),
            red: z.array(SubjectScore),
            black: z.array(SubjectScore),
          }),
        },
      },
    },
  },
});

const seesAll = (caller: Caller) => hasScope(caller, "commission", "downstream:read");

/** The three rates and the red/black ranking, computed from the ledger's lifecycle log. */
export function createRatesRoutes(deps: { db: Database; clock: () => Date }) {
  const router = createRouter();

  router.openapi(ratesRoute, async (c) => {
    const caller = c.get("caller");
    const { month, unit } = c.req.valid("query");
    const allowed = seesAll(caller) ? null : unitsOf(caller);
    if (allowed && (allowed.length === 0 || (unit && !allowed.includes(unit)))) throw forbidden("a unit sees its own rates only");
    const projection = await projectMonth(deps.db, month);
    const items = projection
      .unitRates({ month, asOf: deps.clock(), ...(unit ? { unitId: unit } : {}) })
      .filter((rates) => !allowed || allowed.includes(rates.unitId));
    return c.json({ items }, 200);
  });

  router.openapi(rankingRoute, async (c) => {
    if (!seesAll(c.get("caller"))) throw forbidden("requires commission or downstream:read");
    const { month, size } = c.req.valid("query");
    const projection = await projectMonth(deps.db, month);
    return c.json(rankSubjects(projection, { month, asOf: deps.clock(), size }), 200);
  });

  return router;
}
