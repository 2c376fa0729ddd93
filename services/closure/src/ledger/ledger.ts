import type { AssignmentAction, CallBackResult, ClueFeedback, LifecycleActor } from "@clueline/contracts";
import type { Database, Queryable } from "@clueline/db";
import { type Classification, classifyClue } from "../classification/classify-clue.js";
import type { ConductWatch } from "../conduct/conduct-watch.js";
import type { DeadlineClock } from "../deadlines/deadline-clock.js";
import type { DisciplinePolicy } from "../deadlines/discipline-clocks.js";
import { decideReturn, type ReturnDecision } from "../returns/decide-return.js";
import { redoClue } from "../returns/redo-clue.js";
import { answerOrder } from "../supervision/answer-order.js";
import { decideExtension } from "../supervision/decide-extension.js";
import { type AssignmentClockKind, requestExtension } from "../supervision/request-extension.js";
import { createActGroups } from "./act-groups.js";
import { actOnAssignment } from "./act-on-assignment.js";
import { applyRoutedBatch, type RoutedItem, type RoutedResult } from "./apply-routed-batch.js";
import { type EventKey, remember } from "./events/inbox-table.js";
import { feedBack } from "./feed-back.js";
import type { KnownBodies } from "./known-bodies.js";
import type { LedgerContext } from "./ledger-context.js";
import { recordCallBack } from "./record-call-back.js";
import type { IdentityOpener } from "./scrub-notes.js";

export type { RoutedItem, RoutedResult } from "./apply-routed-batch.js";
export type { EventKey } from "./events/inbox-table.js";

const ROUTER: LifecycleActor = { kind: "system", id: "router" };

/**
 * The closure ledger: every change runs in one transaction that also writes its lifecycle events (the
 * outbox) and, for a consumed event, the event's id (the inbox; a clue's opening is recorded by its clue row
 * instead). A redelivered event finds its id (or its clue) and changes nothing, so consuming is exactly once in
 * effect however often Kafka delivers.
 *
 * @example
 * const ledger = createLedger({ db, deadlines, commissionUnit: "dc", sealer });
 * await ledger.applyRouted({ key: { source, id }, routed });
 * await ledger.applyRoutedBatch(records.map((r) => ({ key: keyOf(r), routed: r.data }))); // one transaction
 * await ledger.act({ assignmentId, unitId: "town-chengguan", subject: "insp-7", act: { action: "accept" } });
 */
export function createLedger(options: {
  db: Database;
  deadlines: DeadlineClock;
  commissionUnit: string;
  /** Opens a clue's identity to scrub call-back notes and replies of it (scrub-notes.ts). */
  sealer: IdentityOpener;
  /** Rule 10: judges the department's service failures when a call-back finds the reporter dissatisfied. */
  conduct?: ConductWatch;
  /** The discipline clocks' periods, read per transaction (the directory's policy); DESIGN §5's defaults without. */
  discipline?: () => DisciplinePolicy;
  /**
   * The directory's units and outside bodies, read per transaction: a transfer or reassignment naming another is
   * refused (`InvalidAction` on its field). Without it only an id's form is checked.
   */
  bodies?: () => KnownBodies;
  clock?: () => Date;
}) {
  const clock = options.clock ?? (() => new Date());

  const contextOf = (tx: Queryable, actor: LifecycleActor, subject: string): LedgerContext => ({
    tx,
    now: clock(),
    deadlines: options.deadlines,
    commissionUnit: options.commissionUnit,
    actor,
    subject,
    sealer: options.sealer,
    conduct: options.conduct,
    discipline: options.discipline?.(),
    bodies: options.bodies?.(),
  });

  function inTransaction<T>(actor: LifecycleActor, subject: string, work: (ctx: LedgerContext) => Promise<T>): Promise<T> {
    return options.db.transaction((tx) => work(contextOf(tx, actor, subject)));
  }

  /** Runs `work` unless the event was applied before; the id is recorded in the same transaction. */
  function once<T>(key: EventKey, actor: LifecycleActor, subject: string, work: (ctx: LedgerContext) => Promise<T>) {
    return inTransaction(actor, subject, async (ctx): Promise<T | "duplicate"> => {
      if (!(await remember(ctx.tx, key))) return "duplicate";
      return work(ctx);
    });
  }

  const acts = createActGroups({
    db: options.db,
    contextFor: (tx, input) => contextOf(tx, { kind: "unit", id: input.unitId }, input.subject),
    run: actOnAssignment,
  });

  function routedBatch(items: readonly RoutedItem[]): Promise<RoutedResult[]> {
    if (items.length === 0) return Promise.resolve([]);
    return inTransaction(ROUTER, "router", (ctx) => applyRoutedBatch(ctx, items));
  }

  return {
    /**
     * Applies one routing decision; a merge into a clue the ledger lacks throws `ClueNotFound`; `reopened`: a supplement
     * reopened a finished clue; `known`: nothing changed, as for an opening delivered again (`duplicate` is for the
     * other decisions, whose ids the inbox keeps).
     */
    async applyRouted(input: RoutedItem): Promise<Exclude<RoutedResult["outcome"], "refused">> {
      const [result] = await routedBatch([input]);
      if (result?.outcome === "refused") throw result.error;
      return result?.outcome ?? "duplicate";
    },

    /**
     * Applies routing decisions (one fetched batch of a partition, in offset order) in one transaction, with a
     * fixed number of statements. A refused decision is returned, not thrown, and leaves the others applied.
     */
    applyRoutedBatch: routedBatch,

    applyFeedback(input: { key: EventKey; feedback: ClueFeedback }) {
      const { feedback } = input;
      switch (feedback.kind) {
        case "call-back":
          return once(input.key, { kind: "operator", id: feedback.operatorId }, feedback.operatorId, async (ctx) => {
            await recordCallBack(ctx, feedback);
            return "applied" as const;
          });
        case "unit-action":
          return once(input.key, { kind: "unit", id: feedback.unitId }, feedback.actorId, async (ctx) => {
            await actOnAssignment(ctx, { assignmentId: feedback.assignmentId, unitId: feedback.unitId, act: feedback.act });
            return "applied" as const;
          });
        case "reply":
          return once(input.key, { kind: "unit", id: feedback.unitId }, feedback.actorId, async (ctx) => {
            await feedBack(ctx, feedback);
            return "applied" as const;
          });
      }
    },

    /** A unit's action on its assignment; concurrent actions share transactions (group commit), each answered alone. */
    act(input: { assignmentId: string; unitId: string; subject: string; act: AssignmentAction }): Promise<void> {
      return acts.act(input);
    },

    /**
     * The commission chooses the category of an unclassified clue (分办): recorded, and `clue.classified` sent for
     * the router to route the clue again. Throws `ClueNotFound` or `ClassificationRefused`.
     */
    classify(input: { clueId: string; category: string; note?: string | undefined; subject: string }): Promise<Classification> {
      const actor: LifecycleActor = { kind: "unit", id: options.commissionUnit };
      return inTransaction(actor, input.subject, (ctx) => classifyClue(ctx, input));
    },

    /** The unit a supervision order is addressed to answers it (督办); see `answerOrder`. */
    answerSupervisionOrder(input: { orderId: string; unitId: string; subject: string; explanation: string; promisedOn: string }) {
      return inTransaction({ kind: "unit", id: input.unitId }, input.subject, (ctx) => answerOrder(ctx, input));
    },

    /** A unit asks for more time on its assignment (延期申请); see `requestExtension`. */
    requestExtension(input: {
      assignmentId: string;
      unitId: string;
      subject: string;
      kind?: AssignmentClockKind | undefined;
      workingDays: number;
      reason: string;
    }) {
      return inTransaction({ kind: "unit", id: input.unitId }, input.subject, (ctx) => requestExtension(ctx, input));
    },

    /** The commission grants or refuses an extension request; see `decideExtension`. */
    decideExtension(input: { requestId: string; decision: "grant" | "refuse"; note?: string | undefined; subject: string }) {
      const actor: LifecycleActor = { kind: "unit", id: options.commissionUnit };
      return inTransaction(actor, input.subject, (ctx) => decideExtension(ctx, input));
    },

    /** The commission upholds a return (退回) or reassigns the work (改派); see `decideReturn`. */
    decideReturn(input: ReturnDecision & { returnId: string; note?: string | undefined; subject: string }) {
      const actor: LifecycleActor = { kind: "unit", id: options.commissionUnit };
      return inTransaction(actor, input.subject, (ctx) => decideReturn(ctx, input));
    },

    /** The commission sends a concluded clue back for redo (发回重办); see `redoClue`. */
    redo(input: { clueId: string; basis: "review" | "call-back"; reason: string; subject: string }) {
      const actor: LifecycleActor = { kind: "unit", id: options.commissionUnit };
      return inTransaction(actor, input.subject, (ctx) => redoClue(ctx, input));
    },

    feedBack(input: { clueId: string; unitId: string; subject: string; reply: string }): Promise<void> {
      return inTransaction({ kind: "unit", id: input.unitId }, input.subject, (ctx) => feedBack(ctx, input));
    },

    recordCallBack(input: { clueId: string; operatorId: string; result: CallBackResult; note?: string | undefined }) {
      return inTransaction({ kind: "operator", id: input.operatorId }, input.operatorId, (ctx) => recordCallBack(ctx, input));
    },
  };
}

export type Ledger = ReturnType<typeof createLedger>;
