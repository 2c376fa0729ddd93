import { createRoute, z } from "@hono/zod-openapi";
import type { CalendarHealth } from "../deadlines/calendar-health.js";
import { createRouter } from "./http-env.js";

const CalendarReport = z
  .object({
    status: z.enum(["ok", "warning", "degraded"]),
    pendingDeadlines: z.int(),
    missingYears: z.array(z.object({ year: z.int(), pendingDeadlines: z.int() })),
    nextYear: z.object({ year: z.int(), covered: z.boolean() }),
    action: z.string().nullable(),
  })
  .openapi("CalendarReport");

const healthRoute = createRoute({
  method: "get",
  path: "/health/calendar",
  summary: "Whether deadlines wait for a year the working-day calendar lacks",
  description: `No token needed, like /readyz; it carries counts only. A missing year never stops the ledger and never
makes /readyz fail: clues, assignments and their events are recorded as usual and each clock that needs the year is
kept *calendar-pending* (no due date; inspectors see it with the reason). \`degraded\`: such clocks exist;
\`warning\`: next year is missing but none waits yet. Both name the operator's action. The same count is served to
Prometheus as \`clueline_deadlines_pending_calendar\` at /metrics/calendar.`,
  responses: { 200: { description: "The calendar's state", content: { "application/json": { schema: CalendarReport } } } },
});

const metricsRoute = createRoute({
  method: "get",
  path: "/metrics/calendar",
  summary: "clueline_deadlines_pending_calendar, in Prometheus text format",
  description:
    "Kept apart from /metrics because the kit's registry is private to it; alert on a value above 0 for longer than a scan interval.",
  responses: { 200: { description: "Prometheus exposition", content: { "text/plain": { schema: z.string() } } } },
});

/** The calendar's health, for operators (JSON) and for alerting (Prometheus). */
export function createCalendarRoutes(deps: { calendarHealth: CalendarHealth }) {
  const router = createRouter();

  router.openapi(healthRoute, async (c) => c.json(await deps.calendarHealth.report(), 200));

  router.openapi(metricsRoute, async (c) => {
    const { pendingDeadlines } = await deps.calendarHealth.report();
    const body = [
      "# HELP clueline_deadlines_pending_calendar Live deadlines whose due date waits for a year the working-day calendar lacks.",
      "# TYPE clueline_deadlines_pending_calendar gauge",
      `clueline_deadlines_pending_calendar{service="closure"} ${pendingDeadlines}`,
      "",
    ].join("\n");
    return c.text(body, 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
  });

  return router;
}
