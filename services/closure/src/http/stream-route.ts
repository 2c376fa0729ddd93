import type { Database } from "@clueline/db";
import { createRoute, z } from "@hono/zod-openapi";
import { type SSEStreamingApi, streamSSE } from "hono/streaming";
import type { Logger } from "pino";
import { readUnitStreamPage } from "../queries/unit-stream-page.js";
import { actingUnit, visibilityOf } from "./access.js";
import { bearerSecurity, createRouter } from "./http-env.js";
import { StreamPosition, UnitId } from "./parameters.js";

const streamRoute = createRoute({
  method: "get",
  path: "/v1/stream",
  summary: "Server-sent events: my unit's new clues",
  description: [
    "One `clue` event per clue that reaches the unit (routed, transferred or escalated to it, or informed), with the",
    "clue summary as data and the unit's stream position as `id`. Reconnect with `Last-Event-ID` (or `lastEventId`)",
    "to resume after the last event seen; without one the stream starts at the unit's first clue. Served from the",
    "ledger, so nothing is missed while disconnected. A `commission` caller names any `unit`. A clue that gives the",
    "unit work again comes back with a new position and `reason` saying why (`reopened-by-supplement`: the same",
    "real-name reporter's new complaint reopened the unit's finished lead work); `reason` is null on a clue's first",
    "arrival.",
  ].join(" "),
  security: bearerSecurity,
  request: {
    query: z.object({
      unit: UnitId.optional(),
      lastEventId: StreamPosition.optional(),
    }),
    headers: z.object({ "last-event-id": StreamPosition.optional() }),
  },
  responses: { 200: { description: "An event stream", content: { "text/event-stream": { schema: z.string() } } } },
});

/** A quiet stream still sends a comment this often, so proxies do not close it as idle. */
const KEEP_ALIVE_MS = 15_000;
const BATCH = 100;

/**
 * The SSE stream of one unit's new clues, polled from the ledger's indexes of `clue_units` and of the positioned
 * assignments (together `unit_clues`, migration 020).
 *
 * @example
 * app.route("/", createStreamRoute({ db, pollMs: 1_000 }));
 */
export function createStreamRoute(deps: { db: Database; pollMs: number; logger: Logger }) {
  const router = createRouter();
  router.openapi(streamRoute, (c) => {
    const caller = c.get("caller");
    const query = c.req.valid("query");
    const unitId = visibilityOf(caller).all && query.unit ? query.unit : actingUnit(caller, query.unit);
    let last = c.req.valid("header")["last-event-id"] ?? query.lastEventId ?? "0";
    return streamSSE(c, async (stream) => {
      try {
        await follow(stream);
      } catch (error) {
        // The response has started, so no problem+json: the client is told to reconnect; the log says what broke,
        // by class and SQLSTATE, never a message that could quote the request.
        deps.logger.error(
          { errorClass: error instanceof Error ? error.name : typeof error, code: codeOf(error), unitId },
          "stream failed",
        );
        // A client already gone cannot be told.
        await stream.writeSSE({ event: "error", data: "the stream failed; reconnect with Last-Event-ID" }).catch(() => undefined);
      }
    });

    async function follow(stream: SSEStreamingApi): Promise<void> {
      let open = true;
      stream.onAbort(() => {
        open = false;
      });
      let quietSince = Date.now();
      while (open) {
        const rows = await readUnitStreamPage(deps.db, { unitId, after: last, limit: BATCH });
        for (const row of rows) {
          last = row.position;
          await stream.writeSSE({ id: last, event: "clue", data: JSON.stringify(row.clue) });
        }
        if (rows.length > 0) quietSince = Date.now();
        if (rows.length === BATCH) continue;
        if (Date.now() - quietSince >= KEEP_ALIVE_MS) {
          await stream.write(": keep-alive\n\n");
          quietSince = Date.now();
        }
        await stream.sleep(deps.pollMs);
      }
    }
  });
  return router;
}

const codeOf = (error: unknown) =>
  typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : undefined;
