import type { ClueRouted } from "@clueline/contracts";
import { z } from "zod";
import { insertAssignments } from "../ledger/assignments/assignments-table.js";
import { recordAssignmentChange } from "../ledger/assignments/record-assignment-change.js";
import { showClueTo } from "../ledger/clues/clue-units-table.js";
import { lockClue, rerouteClue } from "../ledger/clues/clues-table.js";
import { insertDeadlines } from "../ledger/deadlines/deadline-rows.js";
import type { LedgerEvent } from "../ledger/events/ledger-event.js";
import { appendLifecycleBatch } from "../ledger/events/ledger-events.js";
import type { LedgerContext } from "../ledger/ledger-context.js";
import { planTracks } from "../ledger/plan-opening.js";

const OpenAssignment = z.object({
  assignment_id: z.string(),
  unit_id: z.string(),
  role: z.enum(["lead", "assist"]),
  track: z.enum(["discipline", "service"]),
  state: z.enum(["assigned", "accepted", "in-progress"]),
});

/**
 * Applies the router's new decision for a clue the commission classified (`decision.reroute`): the triage work still
 * open on the clue ends (`assignment.concluded`, result `classified`), the new decision's assignments open with fresh
 * clocks as a first routing's do (cause `classification`), the clue takes the decision's nature, categories,
 * subjects and reasons, and the new units see it on their streams. A decision for a clue that is no longer open or
 * was not classified, or whose classification was applied already, changes nothing (`known`). Throws
 * `ClueNotFound` when the ledger lacks the clue. Runs in the transaction that records the event id (the inbox).
 */
export async function applyReroute(ctx: LedgerContext, routed: ClueRouted): Promise<"rerouted" | "known"> {
  const { decision } = routed;
  const clueId = decision.clueId;
  const clue = await lockClue(ctx.tx, clueId);
  const { rows: pending } = await ctx.tx.query("select 1 from classifications where clue_id = $1 and rerouted_at is null", [
    clueId,
  ]);
  if (clue.state !== "open" || pending.length === 0) return "known";

  const { rows } = await ctx.tx.query(
    `select assignment_id, unit_id, role, track, state from assignments
     where clue_id = $1 and state in ('assigned', 'accepted', 'in-progress') order by assigned_at, assignment_id`,
    [clueId],
  );
  const occurredAt = ctx.now.toISOString();
  for (const open of rows.map((row) => OpenAssignment.parse(row))) {
    await recordAssignmentChange(ctx, {
      assignmentId: open.assignment_id,
      event: {
        clueId,
        occurredAt,
        actor: ctx.actor,
        event: "assignment.concluded",
        assignment: {
          assignmentId: open.assignment_id,
          unitId: open.unit_id,
          role: open.role,
          track: open.track,
        },
        from: open.state,
        to: "concluded",
        result: "classified",
      },
      set: { concluded_at: ctx.now, result: "classified" },
      meet: ["accept", "conclude"],
    });
  }

  const tracks = planTracks(ctx, { clueId, decision, channel: clue.channel, cause: "classification" });
  const inDistrict = decision.discipline !== null || decision.service !== null;
  const { transfer } = decision;
  await rerouteClue(
    ctx.tx,
    clueId,
    {
      nature: decision.nature,
      categories: decision.categories,
      departments: decision.subjects.departments,
      towns: decision.subjects.towns,
      reasons: decision.reasons,
      transferTo: transfer?.to ?? null,
      transferAlso: transfer?.alsoTo ?? [],
      state: inDistrict ? "open" : "transferred",
    },
    ctx.now,
  );
  await insertAssignments(
    ctx.tx,
    tracks.assignments.map((a) => a.row),
  );
  await insertDeadlines(
    ctx.tx,
    tracks.assignments.flatMap((a) => a.deadlines),
  );
  for (const unit of tracks.units) {
    for (const role of unit.roles) await showClueTo(ctx.tx, { clueId, unitId: unit.unit_id, role });
  }
  // The informed units have no assignment event to put them on their streams: this one does (unit-stream-kinds.ts).
  const informed: LedgerEvent[] =
    tracks.informed.length > 0
      ? [{ clueId, occurredAt, actor: ctx.actor, event: "clue.informed", units: tracks.informed, cause: "classification" }]
      : [];
  const events: LedgerEvent[] = [
    ...tracks.assignments.map((a) => a.event),
    ...(!inDistrict && transfer
      ? [
          {
            clueId,
            occurredAt,
            actor: ctx.actor,
            event: "clue.transferred-out",
            to: transfer.to,
            alsoTo: transfer.alsoTo,
          } as const,
        ]
      : []),
    ...informed,
  ];
  await appendLifecycleBatch(ctx.tx, { events, subject: ctx.subject, at: ctx.now });
  await ctx.tx.query("update classifications set rerouted_at = $2 where clue_id = $1", [clueId, ctx.now]);
  return "rerouted";
}
