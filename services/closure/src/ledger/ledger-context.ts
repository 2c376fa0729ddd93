import type { LifecycleActor } from "@clueline/contracts";
import type { Queryable } from "@clueline/db";
import type { ConductWatch } from "../conduct/conduct-watch.js";
import type { DeadlineClock } from "../deadlines/deadline-clock.js";
import type { DisciplinePolicy } from "../deadlines/discipline-clocks.js";
import type { KnownBodies } from "./known-bodies.js";
import type { IdentityOpener } from "./scrub-notes.js";

/** What every ledger step needs inside one transaction. */
export interface LedgerContext {
  tx: Queryable;
  now: Date;
  deadlines: DeadlineClock;
  /** The discipline clocks' periods (the directory's policy, DESIGN §7); the DESIGN §5 defaults when absent. */
  discipline?: DisciplinePolicy | undefined;
  /** The district commission's unit id (区纪委监委): escalations and supervision orders go there. */
  commissionUnit: string;
  /** Who acts, as the lifecycle topic names them, and the authenticated subject behind them for the history. */
  actor: LifecycleActor;
  subject: string;
  /** Opens a clue's sealed identity so that notes about the clue are scrubbed of it (never to disclose it). */
  sealer: IdentityOpener;
  /** Rule 10: sees the service failures a step records (a dissatisfied call-back); none in tests that need none. */
  conduct?: ConductWatch | undefined;
  /** The directory's units and outside bodies, which every id an action names must be (transfer, reassignment). */
  bodies?: KnownBodies | undefined;
}

/** The common head of every lifecycle event written in this context. */
export function eventBase(ctx: Pick<LedgerContext, "now" | "actor">, clueId: string) {
  return { clueId, occurredAt: ctx.now.toISOString(), actor: ctx.actor };
}
