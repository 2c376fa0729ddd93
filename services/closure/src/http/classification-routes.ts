import { StorableText } from "@clueline/contracts";
import type { Database } from "@clueline/db";
import { type Caller, forbidden, HttpProblem, hasScope, unitsOf } from "@clueline/kit";
import { createRoute, z } from "@hono/zod-openapi";
import { ClassificationRefused } from "../classification/classification-rules.js";
import { readClassifications } from "../classification/read-classifications.js";
import type { Ledger } from "../ledger/ledger.js";
import { assertVisible, toHttpError } from "./access.js";
import { bearerSecurity, createRouter } from "./http-env.js";
import { Ulid } from "./parameters.js";

const problem = { description: "Problem details (RFC 9457)" };

/** A category code of the directory's taxonomy (DESIGN §5). */
const CategoryCode = z.string().regex(/^[a-z0-9-]{1,128}$/, "expected a category code of the directory ([a-z0-9-], at most 128)");

const ClassificationView = z
  .object({ clueId: z.string(), complaintId: z.string(), category: z.string(), classifiedAt: z.string() })
  .openapi("Classification");

const classifyRoute = createRoute({
  method: "post",
  path: "/v1/clues/{clueId}/classify",
  summary: "Choose the category of an unclassified clue (分办)",
  description: [
    "For the district commission (`commission`). A clue no category matched is led by the commission for triage",
    "(rule 7); choosing its category records the pair [text, category] and sends `clue.classified`, and the router",
    "routes the clue again by that category: the triage assignment ends and the new assignments appear, with their",
    "reasons, like any routing. Only while the clue is open and unclassified, and not while an earlier choice is being",
    "applied; otherwise 409 says why. A category the router's taxonomy lacks leaves the clue unclassified with the",
    "commission, which may then choose again (the new pair replaces the old). The note stays in the clue's history,",
    "scrubbed of contacts, off the lifecycle topic. A unit that cannot see the clue gets 404.",
  ].join(" "),
  security: bearerSecurity,
  request: {
    params: z.object({ clueId: Ulid }),
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.object({ category: CategoryCode, note: StorableText.trim().min(1).max(4_000).optional() }),
        },
      },
    },
  },
  responses: {
    202: {
      description: "Recorded; the clue is routed again",
      content: { "application/json": { schema: ClassificationView } },
    },
    400: problem,
    403: problem,
    404: problem,
    409: problem,
  },
});

/** One line of the NDJSON answer: the pair [text, category] as the router's example tools read it. */
const ClassificationLine = z
  .object({ id: z.string(), text: z.string(), category: z.string(), classifiedAt: z.string() })
  .openapi("ClassificationLine");

const listRoute = createRoute({
  method: "get",
  path: "/v1/classifications",
  summary: "The commission's classifications as [text, category] pairs, oldest first (NDJSON)",
  description: [
    "For the district commission (`commission`). One JSON object a line (`application/x-ndjson`): the clue id, its",
    "scrubbed text and the category chosen, for curating the directory's category examples",
    "(`npm run route -- --suggest-examples <file>`). `since` keeps those classified at or after that time.",
  ].join(" "),
  security: bearerSecurity,
  request: { query: z.object({ since: z.iso.datetime({ offset: true }).optional() }) },
  responses: {
    200: { description: "One classification a line", content: { "application/x-ndjson": { schema: ClassificationLine } } },
    403: problem,
  },
});

/**
 * Refuses a caller who may not classify: 404 to a unit that cannot see the clue (as for any clue it may not see),
 * 403 to everyone else but the commission.
 */
async function assertMayClassify(db: Database, caller: Caller, clueId: string): Promise<void> {
  if (hasScope(caller, "commission")) return;
  if (unitsOf(caller).length > 0) await assertVisible(db, caller, clueId);
  throw forbidden("requires the commission scope");
}

/** The commission's triage of unclassified clues (分办) and the pairs it produced. */
export function createClassificationRoutes(deps: { db: Database; ledger: Ledger; afterChange?: () => void }) {
  const router = createRouter();

  router.openapi(classifyRoute, async (c) => {
    const caller = c.get("caller");
    const { clueId } = c.req.valid("param");
    await assertMayClassify(deps.db, caller, clueId);
    const body = c.req.valid("json");
    const classification = await deps.ledger
      .classify({ clueId, category: body.category, note: body.note, subject: caller.subject })
      .catch((error: unknown) => {
        if (error instanceof ClassificationRefused) {
          throw new HttpProblem({
            status: 409,
            slug: `classification-${error.reason}`,
            title: "The clue cannot be classified",
            detail: error.message,
          });
        }
        throw toHttpError(error);
      });
    deps.afterChange?.();
    return c.json(classification, 202);
  });

  router.openapi(listRoute, async (c) => {
    if (!hasScope(c.get("caller"), "commission")) throw forbidden("requires the commission scope");
    const { since } = c.req.valid("query");
    const lines = await readClassifications(deps.db, { since: since === undefined ? null : new Date(since) });
    const body = lines.map((line) => `${JSON.stringify(line)}\n`).join("");
    return c.body(body, 200, { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store" });
  });

  return router;
}
