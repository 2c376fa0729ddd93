import type { IdentitySealer } from "@clueline/identity";
import { type App, authenticate, createHttpApp, type MetricsRegistry, type TokenVerifier } from "@clueline/kit";
import type { Logger } from "pino";
import type { Database } from "./db/database.js";
import type { CalendarHealth } from "./deadlines/calendar-health.js";
import type { ClientAddressOf } from "./feedback/client-address.js";
import type { RateLimiter } from "./feedback/rate-limiter.js";
import { createActionRoutes } from "./http/action-routes.js";
import { createCalendarRoutes } from "./http/calendar-routes.js";
import { createClassificationRoutes } from "./http/classification-routes.js";
import { createClueRoutes } from "./http/clue-routes.js";
import { createFeedbackRoutes } from "./http/feedback-routes.js";
import { createRatesRoutes } from "./http/rates-routes.js";
import { createStreamRoute } from "./http/stream-route.js";
import { createSupervisionRoutes } from "./http/supervision-routes.js";
import type { Ledger } from "./ledger/ledger.js";

export interface AppDeps {
  db: Database;
  ledger: Ledger;
  /** Opens sealed reporter identities for `pii:read` callers. */
  sealer: Pick<IdentitySealer, "open" | "openOriginal">;
  logger: Logger;
  /** Checks callers' bearer tokens against the issuer's public keys. */
  verifier: TokenVerifier;
  /** The service's registry, served on `/metrics` (the consumer counts dead letters there); a fresh one if unset. */
  metrics?: MetricsRegistry;
  clock: () => Date;
  /** How often an idle SSE stream looks for new clues. */
  ssePollMs: number;
  /** Limits anonymous receipt look-ups per caller and client address. */
  receiptLimiter: RateLimiter;
  /** The client address of a request: its peer, or what a trusted proxy forwarded. */
  clientAddressOf: ClientAddressOf;
  /** Called after an API change committed, e.g. to wake the outbox relay. */
  afterChange?: () => void;
  /** Calendar-pending deadlines, for `/health/calendar` and `/metrics/calendar` (/readyz stays about dependencies). */
  calendarHealth: CalendarHealth;
}

const DESCRIPTION = `The closure ledger of clueline (DESIGN.md §7–§8): every clue and assignment, the lifecycle,
deadlines in working days, the inspector API and the feedback loop. Every route under /v1 needs a bearer token;
a \`unit:<id>\` caller sees only its unit's clues, a \`commission\` caller sees all; a \`leader:<id>\` caller (包抓领导)
sees the supervision orders escalated to it.`;

/**
 * The closure HTTP app, with no server and no background work: a test calls `app.request()` on it.
 *
 * @example
 * const app = createApp({ db, ledger, sealer, logger, verifier, clock: () => new Date(), ssePollMs: 1_000,
 *   receiptLimiter, clientAddressOf, calendarHealth });
 * await startHttpServer({ app, port: 8084 });
 */
export function createApp(deps: AppDeps): App {
  const app = createHttpApp({
    service: "closure",
    version: "1.0.0",
    description: DESCRIPTION,
    logger: deps.logger,
    metrics: deps.metrics,
    readiness: {
      database: async () => {
        await deps.db.query("select 1");
      },
    },
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", bearerFormat: "JWT" });
  app.use("/v1/*", authenticate({ verifier: deps.verifier }));
  const afterChange = deps.afterChange ?? (() => undefined);
  app.route("/", createClueRoutes({ db: deps.db, sealer: deps.sealer, clock: deps.clock }));
  app.route("/", createActionRoutes({ db: deps.db, ledger: deps.ledger, afterChange }));
  app.route("/", createClassificationRoutes({ db: deps.db, ledger: deps.ledger, afterChange }));
  app.route("/", createStreamRoute({ db: deps.db, pollMs: deps.ssePollMs, logger: deps.logger }));
  const { db, ledger, receiptLimiter, clientAddressOf, clock } = deps;
  app.route("/", createFeedbackRoutes({ db, ledger, receiptLimiter, clientAddressOf, clock, afterChange }));
  app.route("/", createRatesRoutes({ db, clock }));
  app.route("/", createCalendarRoutes({ calendarHealth: deps.calendarHealth }));
  app.route("/", createSupervisionRoutes({ db, ledger, afterChange }));
  return app;
}
