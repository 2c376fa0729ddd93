import type { Database } from "@clueline/db";
import type { IdentitySealer } from "@clueline/identity";
import { type App, authenticate, createHttpApp, limitBody, type MetricsRegistry, type TokenVerifier } from "@clueline/kit";
import type { Logger } from "pino";
import type { CalendarHealth } from "./deadlines/calendar-health.js";
import type { ClientAddressOf } from "./feedback/client-address.js";
import type { RateLimiter } from "./feedback/rate-limiter.js";
import { createActionRoutes } from "./http/action-routes.js";
import { createCalendarRoutes } from "./http/calendar-routes.js";
import { createClassificationRoutes } from "./http/classification-routes.js";
import { createClueRoutes } from "./http/clue-routes.js";
import { createEvidenceRoutes, type EvidenceStores } from "./http/evidence-routes.js";
import { createFeedbackRoutes } from "./http/feedback-routes.js";
import { createRatesRoutes } from "./http/rates-routes.js";
import { createReturnsRoutes } from "./http/returns-routes.js";
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
  /** The evidence bucket: the reporters' objects the edges stored, and the units' own material. */
  evidence: EvidenceStores;
  /** The district commission's unit id: a `commission` caller's uploads are recorded as its. */
  commissionUnit: string;
  /** Calendar-pending deadlines, for `/health/calendar` and `/metrics/calendar` (/readyz stays about dependencies). */
  calendarHealth: CalendarHealth;
}

/** The kit's default body limit, kept for every route but an evidence upload. */
const JSON_BODY_MAX_BYTES = 1_048_576;

const DESCRIPTION = `The closure ledger of clueline (DESIGN.md §7–§8): every clue and assignment, the lifecycle,
deadlines in working days, the inspector API and the feedback loop. Every route under /v1 needs a bearer token;
a \`unit:<id>\` caller sees only its unit's clues, a \`commission\` caller sees all; a \`leader:<id>\` caller (包抓领导)
sees the supervision orders escalated to it.`;

/**
 * The closure HTTP app, with no server and no background work: a test calls `app.request()` on it.
 *
 * @example
 * const app = createApp({ db, ledger, sealer, logger, verifier, clock: () => new Date(), ssePollMs: 1_000,
 *   receiptLimiter, clientAddressOf, calendarHealth, evidence, commissionUnit: "dc" });
 * await startHttpServer({ app, port: 8084 });
 */
export function createApp(deps: AppDeps): App {
  const app = createHttpApp({
    service: "closure",
    version: "1.0.0",
    description: DESCRIPTION,
    logger: deps.logger,
    metrics: deps.metrics,
    // Uploads of evidence are the one large body; every other route keeps the kit's 1 MiB (below).
    maxBodyBytes: Math.max(JSON_BODY_MAX_BYTES, deps.evidence.maxBytes),
    readiness: {
      database: async () => {
        await deps.db.query("select 1");
      },
    },
  });
  const jsonLimit = limitBody(JSON_BODY_MAX_BYTES);
  app.use(async function limitJsonBody(c, next) {
    const upload = c.req.method === "POST" && /^\/v1\/clues\/[^/]+\/evidence\/?$/.test(c.req.path);
    return upload ? next() : jsonLimit(c, next);
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", bearerFormat: "JWT" });
  app.use("/v1/*", authenticate({ verifier: deps.verifier }));
  const afterChange = deps.afterChange ?? (() => undefined);
  app.route("/", createClueRoutes({ db: deps.db, sealer: deps.sealer, clock: deps.clock }));
  app.route(
    "/",
    createEvidenceRoutes({
      db: deps.db,
      stores: deps.evidence,
      commissionUnit: deps.commissionUnit,
      logger: deps.logger,
      clock: deps.clock,
      afterChange,
    }),
  );
  app.route("/", createActionRoutes({ db: deps.db, ledger: deps.ledger, afterChange }));
  app.route("/", createClassificationRoutes({ db: deps.db, ledger: deps.ledger, afterChange }));
  app.route("/", createStreamRoute({ db: deps.db, pollMs: deps.ssePollMs, logger: deps.logger }));
  const { db, ledger, receiptLimiter, clientAddressOf, clock } = deps;
  app.route("/", createFeedbackRoutes({ db, ledger, receiptLimiter, clientAddressOf, clock, afterChange }));
  app.route("/", createRatesRoutes({ db, clock }));
  app.route("/", createCalendarRoutes({ calendarHealth: deps.calendarHealth }));
  app.route("/", createSupervisionRoutes({ db, ledger, afterChange }));
  app.route("/", createReturnsRoutes({ db, ledger, afterChange }));
  return app;
}
