import type { AssignmentAction } from "@clueline/contracts";
import type { Database, Queryable } from "@clueline/db";
import { bufferAssignmentChanges } from "./assignments/assignment-change-buffer.js";
import {
  type AssignmentRecord,
  type LeadRecord,
  leadsOfClues,
  lockAssignment,
  lockAssignments,
} from "./assignments/assignments-table.js";
import type { ClueRecord } from "./clues/clues-table.js";
import type { LedgerContext } from "./ledger-context.js";

type Locked = { clue: ClueRecord; assignment: AssignmentRecord; leads?: LeadRecord[] };

export interface ActInput {
  assignmentId: string;
  unitId: string;
  subject: string;
  act: AssignmentAction;
}

interface Pending {
  input: ActInput;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for unit actions. Actions that arrive while earlier groups are still in the database wait and then
 * share one transaction: one BEGIN, one statement that locks and reads every row the group touches (clues then
 * assignments, in id order, so two groups never deadlock on each other), the actions' writes, one COMMIT. The
 * simple actions' writes (an assignment's state, the clocks it meets, its event) are held and written together in
 * one set-based statement (`bufferAssignmentChanges`), so a group of them costs four statements whatever its size,
 * and one WAL flush.
 *
 * Each caller still gets its own answer. When any action of a group fails (a refused transition, another unit's
 * assignment, a database error), the group's transaction rolls back whole and every action of it runs again in
 * a transaction of its own, so one bad action never changes what happens to the others. With nothing queued an
 * action runs at once, alone: grouping adds no wait at low load.
 *
 * @example
 * const acts = createActGroups({ db, run: actOnAssignment, contextFor });
 * await acts.act({ assignmentId, unitId: "town-chengguan", subject: "insp-7", act: { action: "accept" } });
 */
export function createActGroups(options: {
  db: Database;
  contextFor: (tx: Queryable, input: ActInput) => LedgerContext;
  /**
   * Runs one action; `locked` is its clue and assignment as the group locked them, when still current, with the
   * clue's leads when those are. Resolves to whether a lead finished (the clue's row may have changed: a conclusion
   * sets the new state on `locked.clue`, which the clue's other pairs share).
   */
  run: (ctx: LedgerContext, input: ActInput, locked?: Locked) => Promise<boolean>;
  /** Groups in the database at once; more actions wait and join the next group. */
  maxInFlight?: number;
  maxGroupSize?: number;
  /** While a group is in the database, a new one starts only when this many actions wait. */
  minGroupSize?: number;
}) {
  const maxInFlight = options.maxInFlight ?? 4;
  const maxGroupSize = options.maxGroupSize ?? 64;
  const minGroupSize = options.minGroupSize ?? 8;
  const queue: Pending[] = [];
  let inFlight = 0;

  const alone = (input: ActInput) => options.db.transaction((tx) => options.run(options.contextFor(tx, input), input));

  /** Runs the group in one transaction; says whether its work was all done when the transaction ended. */
  async function together(group: Pending[]): Promise<{ ok: true } | { ok: false; ranAll: boolean; error: unknown }> {
    let ranAll = false;
    try {
      await options.db.transaction(async (raw) => {
        const tx = bufferAssignmentChanges(raw);
        const locked = await lockAssignments(
          tx,
          group.map((pending) => pending.input.assignmentId),
        );
        // The leads of the open clues a lead concludes, read once the clues are locked (nobody else changes them now).
        const concluding = group.flatMap(({ input }) => {
          const pair = locked.get(input.assignmentId);
          return input.act.action === "conclude" && pair?.assignment.role === "lead" && pair.clue.state === "open"
            ? [pair.clue.clueId]
            : [];
        });
        const leads = await leadsOfClues(tx, [...new Set(concluding)]);
        // One record per clue, shared by its pairs: an action writes its own assignment (a transfer adds another)
        // and changes its clue's row only by concluding it, which concludeClueIfDone also sets on the record it is
        // given, so a pair read at the start stays current for the clue's later actions. An assignment acted on twice
        // in one group is read again, and what is read of its clue goes onto the shared record too (a conclusion by
        // its second action must be seen by the clue's later actions, or they could conclude the clue again). The
        // leads read above stay current until a lead finishes: what a conclusion decides on (which leads there are,
        // which finished, which transferred) changes only then.
        const clues = new Map<string, ClueRecord>();
        for (const pair of locked.values()) {
          const shared = clues.get(pair.clue.clueId);
          if (shared) pair.clue = shared;
          else clues.set(pair.clue.clueId, pair.clue);
        }
        const leadFinished = new Set<string>();
        const assignmentsActedOn = new Set<string>();
        for (const { input } of group) {
          const pair = locked.get(input.assignmentId);
          let current: Locked | undefined;
          if (pair && assignmentsActedOn.has(input.assignmentId)) {
            const again = await lockAssignment(tx, input.assignmentId);
            Object.assign(pair.clue, again.clue);
            current = { clue: pair.clue, assignment: again.assignment };
          } else if (pair) {
            current = { ...pair, leads: leadFinished.has(pair.clue.clueId) ? undefined : leads.get(pair.clue.clueId) };
          }
          assignmentsActedOn.add(input.assignmentId);
          const clueChanged = await options.run(options.contextFor(tx, input), input, current);
          if (pair && clueChanged) leadFinished.add(pair.clue.clueId);
        }
        await tx.flush();
        ranAll = true;
      });
      return { ok: true };
    } catch (error) {
      return { ok: false, ranAll, error };
    }
  }

  async function runGroup(group: Pending[]): Promise<void> {
    if (group.length > 1) {
      const outcome = await together(group);
      if (outcome.ok) {
        for (const pending of group) pending.resolve();
        return;
      }
      // Every action ran and the COMMIT itself failed: whether it took effect is unknown, so running the actions
      // again could apply them twice. Each caller gets the database's error, as a lone action's caller would.
      if (outcome.ranAll) {
        for (const pending of group) pending.reject(outcome.error);
        return;
      }
    }
    await Promise.all(group.map((pending) => alone(pending.input).then(pending.resolve, pending.reject)));
  }

  function pump(): void {
    // Without the minimum, one slot takes the whole queue and the others cycle single actions, which cost as much
    // as a group each; with it, the waiting actions are shared out in groups worth a transaction.
    while (inFlight < maxInFlight && queue.length > 0 && (inFlight === 0 || queue.length >= minGroupSize)) {
      inFlight++;
      void runGroup(queue.splice(0, maxGroupSize)).finally(() => {
        inFlight--;
        pump();
      });
    }
  }

  return {
    act(input: ActInput): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        queue.push({ input, resolve, reject });
        pump();
      });
    },
  };
}
