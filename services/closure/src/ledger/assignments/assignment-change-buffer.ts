import type { DeadlineKind } from "@clueline/contracts";
import type { Queryable, QueryResult, Row } from "@clueline/db";
import { insertDeadlinesFrom } from "../deadlines/deadline-rows.js";
import { storedPayload } from "../events/ledger-events.js";

/** One unit action's writes as {@link recordAssignmentChange} makes them, ready to be written with others. */
export interface AssignmentChange {
  assignmentId: string;
  state: string;
  at: Date;
  meet: DeadlineKind[];
  eventId: string;
  clueId: string;
  event: string;
  /** The parsed lifecycle event. */
  payload: unknown;
  note: string | null;
  actor: string;
  /** Assignment columns to set besides state and updated_at; names come from code. */
  set: Record<string, unknown>;
}

/** The columns an action may set, with their types, as the buffered statement declares them. */
const settable: Record<string, string> = {
  responded_at: "timestamptz",
  concluded_at: "timestamptz",
  result: "text",
  summary: "text",
  reject_reason: "text",
  transferred_to: "text",
  disposition: "text",
  complex: "boolean",
  conclude_due_on: "date",
};
const settableColumns = Object.keys(settable);

/** A clue's conclusion as {@link concludeClueIfDone} makes it: its new state, the reporter's clock, its event. */
export interface ClueConclusion {
  clueId: string;
  state: string;
  at: Date;
  /** Deadline rows (see `deadlineRow`), none for an anonymous reporter. */
  clocks: unknown[];
  eventId: string;
  event: string;
  payload: unknown;
  actor: string;
}

/** A transaction that can hold unit actions' writes back and write them together. */
export interface ChangeBufferingQueryable extends Queryable {
  /** Holds the change for the next write; false when a change of the same assignment is held already. */
  defer(change: AssignmentChange): boolean;
  /** Holds a clue's conclusion for the next write, behind the changes held before it. */
  deferConclusion(conclusion: ClueConclusion): void;
  /** Writes what is held, in one statement; run before the transaction commits. */
  flush(): Promise<void>;
}

function canDefer(tx: Queryable): tx is ChangeBufferingQueryable {
  return typeof (tx as Partial<ChangeBufferingQueryable>).defer === "function";
}

/**
 * Writes a change and/or a conclusion through the group's buffer when `tx` is one (held for the group's statement),
 * else through a buffer of their own, written at once: either way by the one statement below.
 */
export async function writeThroughBuffer(
  tx: Queryable,
  hold: { change?: AssignmentChange; conclusion?: ClueConclusion },
): Promise<void> {
  const buffer = canDefer(tx) ? tx : bufferAssignmentChanges(tx);
  if (hold.change && !buffer.defer(hold.change)) {
    await buffer.flush();
    buffer.defer(hold.change);
  }
  if (hold.conclusion) buffer.deferConclusion(hold.conclusion);
  if (buffer !== tx) await buffer.flush();
}

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

/**
 * Wraps a group commit's transaction so that unit actions' writes (an assignment's new state, the clocks it meets,
 * its lifecycle event; a clue's conclusion) wait and go to PostgreSQL together, as one set-based statement for the
 * whole group, instead of one or two statements each: a statement's fixed cost (a round trip, parse, plan,
 * executor start) was most of what a simple action cost. Every other statement run on the transaction first
 * writes what is held, so each statement still sees every change made before it, and events keep the order of
 * their actions. A second change to an assignment already held is refused (the first is written first), so one
 * statement never updates a row twice.
 */
export function bufferAssignmentChanges(tx: Queryable): ChangeBufferingQueryable {
  let changes: AssignmentChange[] = [];
  let conclusions: ClueConclusion[] = [];
  let events: Record<string, unknown>[] = [];
  const assignments = new Set<string>();

  async function flush(): Promise<void> {
    if (events.length === 0) return;
    const held = { changes, conclusions, events };
    changes = [];
    conclusions = [];
    events = [];
    assignments.clear();
    const changeRows = held.changes.map((change) => {
      const row: Record<string, unknown> = {
        assignment_id: change.assignmentId,
        state: change.state,
        at: iso(change.at),
        meet: change.meet,
        sets: Object.keys(change.set),
      };
      for (const [column, value] of Object.entries(change.set)) row[column] = iso(value);
      return row;
    });
    const declared = settableColumns.map((column) => `${column} ${settable[column]}`).join(", ");
    const assigned = settableColumns
      .map((column) => `, ${column} = case when '${column}' = any(i.sets) then i.${column} else a.${column} end`)
      .join("");
    // Rows are matched through `= any(array)` as well as the join: the planner estimates a jsonb function's rows at
    // 100 and hash-joined every assignment and clock of the ledger against them; an array of unique keys it answers
    // from the primary key. The clocks are found per assignment, behind an `offset 0` fence: without statistics
    // (PGlite has no autovacuum; a new table has none) `assignment_id = any(…)` on their non-unique index was
    // estimated at a third of the table and scanned it whole. Clocks are indexed by their clue only (migration 014),
    // so the clue comes from the assignment's row, found by its primary key.
    await tx.query(
      `with i as (
         select * from jsonb_to_recordset($1::jsonb) as r(assignment_id text, state text, at timestamptz, meet text[],
           sets text[], ${declared})),
       c as (select * from jsonb_to_recordset($2::jsonb) as r(clue_id text, state text, at timestamptz)),
       met as (
         update deadlines d set stage = 'met', next_at = null
         where d.deadline_id = any(array(
           select m.deadline_id from i cross join lateral (
             select x.deadline_id from assignments o
               join deadlines x on x.clue_id = o.clue_id and x.assignment_id = o.assignment_id
             where o.assignment_id = i.assignment_id and x.kind = any(i.meet) and x.stage <> 'met' offset 0) m))),
       logged as (
         insert into ledger_events (event_id, stream, clue_id, event, payload, note, actor, occurred_at)
         select event_id, 'lifecycle', clue_id, event, payload, note, actor, at
         from jsonb_to_recordset($3::jsonb) as e(n int, event_id text, clue_id text, event text, payload jsonb, note text,
           actor text, at timestamptz)
         order by n),
       concluded as (
         update clues k set state = c.state, updated_at = c.at, concluded_at = c.at from c
         where k.clue_id = any($5::text[]) and k.clue_id = c.clue_id),
       clocks as (${insertDeadlinesFrom("$6")})
       update assignments a set state = i.state, updated_at = i.at${assigned} from i
       where a.assignment_id = any($4::text[]) and a.assignment_id = i.assignment_id`,
      [
        JSON.stringify(changeRows),
        JSON.stringify(held.conclusions.map(({ clueId, state, at }) => ({ clue_id: clueId, state, at: iso(at) }))),
        JSON.stringify(held.events),
        held.changes.map((change) => change.assignmentId),
        held.conclusions.map((conclusion) => conclusion.clueId),
        JSON.stringify(held.conclusions.flatMap((conclusion) => conclusion.clocks)),
      ],
    );
  }

  const logged = (event: Omit<AssignmentChange, "assignmentId" | "state" | "meet" | "set" | "at"> & { at: Date }) =>
    events.push({
      n: events.length,
      event_id: event.eventId,
      clue_id: event.clueId,
      event: event.event,
      payload: storedPayload(event.payload as object, event.event, event.clueId, event.at),
      note: event.note,
      actor: event.actor,
      at: iso(event.at),
    });

  return {
    defer(change) {
      if (assignments.has(change.assignmentId)) return false;
      const unknown = Object.keys(change.set).filter((column) => !(column in settable));
      if (unknown.length > 0) throw new TypeError(`not a column an action sets: ${unknown.join(", ")}`);
      changes.push(change);
      assignments.add(change.assignmentId);
      logged(change);
      return true;
    },
    deferConclusion(conclusion) {
      conclusions.push(conclusion);
      logged({ ...conclusion, note: null });
    },
    flush,
    async query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      await flush();
      return tx.query<R>(sql, params);
    },
  };
}
