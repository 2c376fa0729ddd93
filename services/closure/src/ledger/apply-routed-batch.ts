import type { ClueRouted } from "@clueline/contracts";
import type { Queryable } from "@clueline/db";
import { applyReroute } from "../classification/apply-reroute.js";
import { memoizeDeadlineClock } from "../deadlines/deadline-clock.js";
import { supplementReopens } from "../lifecycle/clue-machine.js";
import { type AssignmentRow, insertPositionedAssignmentsFrom } from "./assignments/assignments-table.js";
import { type ClueUnitRow, insertPositionedClueUnitsFrom, streamPositionsSql } from "./clues/clue-units-table.js";
import { insertClues, lockClues } from "./clues/clues-table.js";
import { insertSupplementsFrom, type SupplementRow } from "./clues/supplements-table.js";
import { insertDeadlinesFrom } from "./deadlines/deadline-rows.js";
import { type EventKey, forget, rememberAll } from "./events/inbox-table.js";
import { openingRowsOf } from "./events/lean-opening.js";
import type { LedgerEvent } from "./events/ledger-event.js";
import { insertLifecycleBatchFrom, lifecycleBatchParameters } from "./events/ledger-events.js";
import type { LedgerContext } from "./ledger-context.js";
import { ClueNotFound } from "./ledger-errors.js";
import { type OpeningPlan, planOpening, planSupplement } from "./plan-opening.js";
import { reopenForSupplement } from "./reopen-for-supplement.js";

export interface RoutedItem {
  key: EventKey;
  routed: ClueRouted;
}

/** What became of one routing decision; `refused` changed nothing and is the caller's to dead-letter. */
export type RoutedResult =
  | { outcome: "opened" | "supplemented" | "reopened" | "rerouted" | "known" | "duplicate" }
  | { outcome: "refused"; error: ClueNotFound };

/**
 * Applies routing decisions, in order, in the caller's transaction, with a fixed number of statements however many
 * there are: the event ids of supplements and re-routings into the inbox (one insert that returns the new ones, so a
 * redelivered event changes nothing), the merge targets locked in id order, new clues in one insert that skips those
 * already in the ledger (rule 9), then one statement for their assignments, clocks and visibility and the lifecycle
 * events. The result is what applying them one by one would give. An opening keeps no inbox row: its clue row is its
 * record, so a redelivered opening finds its clue (or its complaint's) and changes nothing (`known`, as a second
 * decision for a known clue is), whatever became of the clue since. A decision refused (a merge into a clue the
 * ledger lacks) writes nothing, its id included. A supplement to a clue whose lead work is finished reopens it
 * (`reopened`, see `reopenForSupplement`): never a silent attachment to a closed clue.
 *
 * @example
 * const results = await db.transaction((tx) => applyRoutedBatch({ ...ctx, tx }, items));
 */
export async function applyRoutedBatch(ctx: LedgerContext, items: readonly RoutedItem[]): Promise<RoutedResult[]> {
  const results: RoutedResult[] = items.map(() => ({ outcome: "duplicate" }));
  const fresh = await rememberFirstSeen(ctx.tx, items);

  // Rule 9 inside the batch: a second decision for a clue or complaint seen earlier in it is known already (a
  // redelivered opening included, which the inbox no longer sorts out).
  const openers = new Map<string, number>();
  const complaints = new Set<string>();
  const toOpen: number[] = [];
  const toSupplement = new Set<number>();
  const toReroute: number[] = [];
  for (const index of fresh) {
    const { decision } = itemAt(items, index).routed;
    if (decision.reroute) {
      toReroute.push(index);
    } else if (decision.mergedInto !== null) {
      toSupplement.add(index);
    } else if (openers.has(decision.clueId) || complaints.has(decision.complaintId)) {
      results[index] = { outcome: "known" };
    } else {
      openers.set(decision.clueId, index);
      complaints.add(decision.complaintId);
      toOpen.push(index);
    }
  }

  const targets = [...new Set([...toSupplement].map((index) => mergeTarget(itemAt(items, index))))];
  const present = await lockClues(ctx.tx, targets);
  const planning = { ...ctx, deadlines: memoizeDeadlineClock(ctx.deadlines) };
  const plans = new Map(toOpen.map((index) => [index, planOpening(planning, itemAt(items, index).routed)]));
  const opened = await insertClues(
    ctx.tx,
    [...plans.values()].map((plan) => plan.clue),
  );

  const events: LedgerEvent[] = [];
  const notes: (string | null)[] = [];
  const written: OpeningPlan[] = [];
  const supplements: SupplementRow[] = [];
  // The first supplement of the batch to each finished clue reopens it, after the batch's writes; later ones to that
  // clue join it once it is open again, written after its reopening so the clue's events keep the one-at-a-time order.
  const reopening = new Map<string, { index: number; complaintId: string }>();
  const afterReopening: ReturnType<typeof planSupplement>[] = [];
  for (const index of fresh) {
    const item = itemAt(items, index);
    const plan = plans.get(index);
    if (plan) {
      if (!opened.has(plan.clue.clue_id)) {
        results[index] = { outcome: "known" };
        continue;
      }
      written.push(plan);
      events.push(...plan.events);
      notes.push(...plan.events.map(() => null));
      results[index] = { outcome: "opened" };
    } else if (toSupplement.has(index)) {
      const target = mergeTarget(item);
      // As one at a time would: the clue exists, or an earlier decision in this batch opened it.
      const opener = openers.get(target);
      if (!present.has(target) && !(opener !== undefined && opener < index && opened.has(target))) {
        results[index] = { outcome: "refused", error: new ClueNotFound(target) };
        continue;
      }
      const supplement = planSupplement(ctx, item.routed, target);
      results[index] = { outcome: "supplemented" };
      if (reopening.has(target)) {
        afterReopening.push(supplement);
        continue;
      }
      events.push(supplement.event);
      notes.push(supplement.note);
      if (supplement.sealed) supplements.push(supplement.sealed);
      const state = present.get(target);
      if (state !== undefined && supplementReopens(state) && !reopening.has(target)) {
        reopening.set(target, { index, complaintId: item.routed.decision.complaintId });
      }
    }
  }

  await insertOpenings(ctx, { written, supplements }, { events, notes });
  for (const [clueId, { index, complaintId }] of reopening) {
    if (await reopenForSupplement(ctx, { clueId, complaintId })) results[index] = { outcome: "reopened" };
  }
  if (afterReopening.length > 0) {
    const sealed = afterReopening.flatMap((supplement) => (supplement.sealed ? [supplement.sealed] : []));
    const lifecycle = { events: afterReopening.map((s) => s.event), notes: afterReopening.map((s) => s.note) };
    await insertOpenings(ctx, { written: [], supplements: sealed }, lifecycle);
  }
  // A re-routing (the commission classified the clue) is rare: one at a time, after the batch's openings, so a
  // clue opened earlier in the batch is there to be routed again.
  for (const index of toReroute) {
    try {
      results[index] = { outcome: await applyReroute(ctx, itemAt(items, index).routed) };
    } catch (error) {
      if (!(error instanceof ClueNotFound)) throw error;
      results[index] = { outcome: "refused", error };
    }
  }
  const refused = items.filter((_, index) => results[index]?.outcome === "refused");
  if (refused.length > 0) {
    await forget(
      ctx.tx,
      refused.map((item) => item.key),
    );
  }
  return results;
}

const itemAt = (items: readonly RoutedItem[], index: number): RoutedItem => items[index] as RoutedItem;
const mergeTarget = (item: RoutedItem): string => item.routed.decision.mergedInto ?? item.routed.decision.clueId;

/** A new clue: neither a merge nor a re-routing of a clue the ledger has. */
const isOpening = (item: RoutedItem): boolean => !item.routed.decision.reroute && item.routed.decision.mergedInto === null;

/**
 * Answers the indexes of the decisions to apply, in order: every opening, and the first sighting of each other event
 * id the inbox had not seen, whose ids it now records. Openings leave the inbox alone (issue #16: an inbox row and its
 * key, ~270 B of WAL per opening): the clue row, keyed by clue and by complaint, already refuses a second one.
 */
async function rememberFirstSeen(tx: Queryable, items: readonly RoutedItem[]): Promise<number[]> {
  const openings: number[] = [];
  const first = new Map<string, number>();
  items.forEach((item, index) => {
    if (isOpening(item)) {
      openings.push(index);
      return;
    }
    const id = JSON.stringify([item.key.source, item.key.id]);
    if (!first.has(id)) first.set(id, index);
  });
  const fresh =
    first.size === 0
      ? []
      : await rememberAll(
          tx,
          [...first.values()].map((index) => itemAt(items, index).key),
        );
  const others = fresh.map((key) => first.get(JSON.stringify([key.source, key.id])) as number);
  return [...openings, ...others].sort((a, b) => a - b);
}

/**
 * Writes what the new clues open besides their rows (assignments, clocks, visibility rows: a new clue has none yet,
 * so nothing can conflict), the sealed originals of supplements and the batch's lifecycle events, in one statement: each round trip to the ledger cost
 * its own system calls and wake-ups on both sides, more than most of these inserts. No foreign key checks these rows
 * (migration 16): their clue is the one inserted just before, and the tests' `rowsWithoutParent` holds them to it.
 */
async function insertOpenings(
  ctx: LedgerContext,
  rows: { written: readonly OpeningPlan[]; supplements: readonly SupplementRow[] },
  lifecycle: { events: LedgerEvent[]; notes: (string | null)[] },
): Promise<void> {
  const { written, supplements } = rows;
  if (written.length === 0 && lifecycle.events.length === 0) return;
  // The openings' log rows leave to these rows what they hold for good (migration 018).
  const opened = openingRowsOf({
    clues: written.map((plan) => plan.clue),
    assignments: written.flatMap((plan) => plan.assignments),
  });
  const visibility = placeVisibility(written);
  const parameters = lifecycleBatchParameters({ ...lifecycle, subject: ctx.subject, at: ctx.now, opened });
  await ctx.tx.query(
    `with positions as materialized (${streamPositionsSql(`$${5 + parameters.length}::int`)}),
       assigned as (${insertPositionedAssignmentsFrom("$1", "positions")}),
       clocks as (${insertDeadlinesFrom("$2")}),
       visible as (${insertPositionedClueUnitsFrom("$3", "positions")}),
       supplemented as (${insertSupplementsFrom("$4")})
     ${insertLifecycleBatchFrom(5)}`,
    [
      JSON.stringify(visibility.assignments),
      JSON.stringify(written.flatMap((plan) => plan.deadlines)),
      JSON.stringify(visibility.units),
      JSON.stringify(supplements),
      ...parameters,
      visibility.positions,
    ],
  );
}

/**
 * Where the new clues' visibility goes (migration 020): a unit whose only role is lead or assist is on its clue's
 * stream by its (first) assignment, every other unit by a clue_units row. Positions are numbered in the plans'
 * order, units within a clue as planned, so each unit's stream lists the batch as it always has.
 */
function placeVisibility(written: readonly OpeningPlan[]): {
  units: (ClueUnitRow & { stream_pos: number })[];
  assignments: (AssignmentRow & { stream_pos: number | null })[];
  positions: number;
} {
  const units: (ClueUnitRow & { stream_pos: number })[] = [];
  const assignments: (AssignmentRow & { stream_pos: number | null })[] = [];
  let positions = 0;
  for (const plan of written) {
    const byAssignment = new Map<string, number>();
    for (const unit of plan.units) {
      positions += 1;
      const [role, ...more] = unit.roles;
      if (role && more.length === 0 && plan.assignments.some((a) => a.unit_id === unit.unit_id && a.role === role)) {
        byAssignment.set(unit.unit_id, positions);
      } else {
        units.push({ ...unit, stream_pos: positions });
      }
    }
    for (const row of plan.assignments) {
      // The unit's first assignment holds its position; any other of its assignments none (one position a unit).
      const position = byAssignment.get(row.unit_id) ?? null;
      byAssignment.delete(row.unit_id);
      assignments.push({ ...row, stream_pos: position });
    }
  }
  return { units, assignments, positions };
}
