import type { ClueRouted } from "@clueline/contracts";
import { receiptSelectorOf } from "../feedback/receipt-lookup.js";
import { type AssignmentOptions, planAssignment } from "./assign-unit.js";
import type { AssignmentRow } from "./assignments/assignments-table.js";
import type { OpenedClueRow } from "./clues/clues-table.js";
import { packReasons } from "./clues/packed-reasons.js";
import type { SupplementRow } from "./clues/supplements-table.js";
import { type DeadlineRow, deadlineRow } from "./deadlines/deadline-rows.js";
import type { LedgerEvent } from "./events/ledger-event.js";
import type { LedgerContext } from "./ledger-context.js";

/** Everything a new clue writes besides its row; inserted only once the row went in (rule 9: never a second clue). */
export interface OpeningPlan {
  clue: OpenedClueRow;
  assignments: AssignmentRow[];
  deadlines: DeadlineRow[];
  /** Who may see the clue (DESIGN §8), each unit once with its roles in the order they were given. */
  units: { clue_id: string; unit_id: string; roles: string[] }[];
  events: LedgerEvent[];
}

type PlanContext = Pick<LedgerContext, "now" | "actor" | "deadlines">;

/**
 * Plans a routing decision that opens a clue: its row, assignments, clocks, visibility and lifecycle events, in
 * the order the ledger has always written them. Pure: no database, so a batch plans every clue before it writes.
 */
export function planOpening(ctx: PlanContext, routed: ClueRouted): OpeningPlan {
  const { decision, complaint } = routed;
  const { reporter } = complaint;
  const realName = reporter.kind === "real-name";
  const inDistrict = decision.discipline !== null || decision.service !== null;
  const receiptHash = reporter.kind === "anonymous" ? (reporter.receiptHash ?? null) : null;
  const clueId = decision.clueId;
  const clue: OpenedClueRow = {
    clue_id: clueId,
    complaint_id: decision.complaintId,
    nature: decision.nature,
    categories: decision.categories,
    departments: decision.subjects.departments,
    towns: decision.subjects.towns,
    channel: complaint.channel,
    received_at: complaint.receivedAt,
    opened_at: ctx.now.toISOString(),
    text: complaint.text,
    evidence: complaint.evidence,
    origin: complaint.origin,
    reporter_kind: reporter.kind,
    reporter_hash: realName ? reporter.hash : null,
    reporter_identity: realName ? reporter.identity : null,
    sealed_original: complaint.sealedOriginal ?? null,
    receipt_selector: receiptHash ? receiptSelectorOf(receiptHash) : null,
    receipt_hash: receiptHash,
    state: inDistrict ? "open" : "transferred",
    transfer_to: decision.transfer?.to ?? null,
    transfer_also: decision.transfer?.alsoTo ?? [],
    reasons_packed: packReasons(decision.reasons),
  };

  const tracks = planTracks(ctx, { clueId, decision, channel: complaint.channel, cause: "routing" });
  const { assignments, informed, leads } = tracks;
  const { transfer } = decision;
  const notice = realName && inDistrict ? ctx.deadlines.acceptanceNotice({ receivedAt: new Date(complaint.receivedAt) }) : null;

  // Events written out rather than spread from eventBase: such spreads are several times slower on Node 20.
  const occurredAt = clue.opened_at;
  const events: LedgerEvent[] = [
    {
      clueId,
      occurredAt,
      actor: ctx.actor,
      event: "clue.opened",
      complaintId: decision.complaintId,
      nature: decision.nature,
      categories: decision.categories,
      channel: complaint.channel,
      reporterKind: reporter.kind,
      receivedAt: complaint.receivedAt,
      subjects: decision.subjects,
      transfer: transfer ? { to: transfer.to, alsoTo: transfer.alsoTo } : null,
      informed,
      // Null too while the notice's clock is calendar-pending; `deadline.scheduled` then gives the date.
      acceptanceNoticeDueOn: notice?.dueOn ?? null,
    },
    ...assignments.map((a) => a.event),
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
  ];
  const noticeOwner = { clueId, assignmentId: null, unitId: leads[0]?.unitId ?? null };
  return {
    clue,
    assignments: assignments.map((a) => a.row),
    deadlines: [
      ...assignments.flatMap((a) => a.deadlines),
      ...(notice ? [deadlineRow(noticeOwner, "acceptance-notice", notice)] : []),
    ],
    units: tracks.units,
    events,
  };
}

/** What a decision's tracks give a clue: assignments with their clocks and events, and who sees it with which roles. */
export interface TracksPlan {
  assignments: ReturnType<typeof planAssignment>[];
  /** The lead units, discipline first, in the decision's order. */
  leads: { unitId: string }[];
  informed: string[];
  units: { clue_id: string; unit_id: string; roles: string[] }[];
}

/**
 * Plans the assignments of a decision's discipline and service tracks (leads, co-leads, assists) and the units
 * informed, for a clue being opened or routed again (`cause`). Pure, like {@link planOpening}.
 */
export function planTracks(
  ctx: PlanContext,
  options: {
    clueId: string;
    decision: ClueRouted["decision"];
    channel: ClueRouted["complaint"]["channel"];
    cause: AssignmentOptions["cause"];
  },
): TracksPlan {
  const { clueId, decision, channel, cause } = options;
  const { discipline, service, transfer } = decision;
  const leads = [
    ...(discipline ? [{ unitId: discipline.lead, role: "lead", track: "discipline" } as const] : []),
    ...(service ? [service.lead, ...service.coLeads].map((unitId) => ({ unitId, role: "lead", track: "service" }) as const) : []),
  ];
  const assists = (discipline?.assist ?? []).map((unitId) => ({ unitId, role: "assist", track: "discipline" }) as const);
  const assigned = new Set([...leads, ...assists].map((a) => a.unitId));
  const informed = [
    ...new Set([...(discipline?.informed ?? []), ...(service?.informed ?? []), ...(transfer?.informed ?? [])]),
  ].filter((unitId) => !assigned.has(unitId));
  const assignments = [...leads, ...assists].map((a) =>
    planAssignment(ctx, { clueId, unitId: a.unitId, role: a.role, track: a.track, cause, channel }),
  );

  const roles = new Map<string, string[]>();
  for (const [unitId, role] of [
    ...informed.map((unitId) => [unitId, "informed"] as const),
    ...[...leads, ...assists].map((a) => [a.unitId, a.role] as const),
  ]) {
    const held = roles.get(unitId) ?? [];
    if (!held.includes(role)) held.push(role);
    roles.set(unitId, held);
  }
  const units = [...roles].map(([unit_id, unitRoles]) => ({ clue_id: clueId, unit_id, roles: unitRoles }));
  return { assignments, leads, informed, units };
}

/**
 * The event of a complaint merged into a clue (rule 8): no new assignments; its scrubbed text joins the clue's
 * history, and its sealed original, when the edge scrubbed anything, is kept for those who may open the identity.
 */
export function planSupplement(
  ctx: Pick<LedgerContext, "now" | "actor">,
  routed: ClueRouted,
  clueId: string,
): { event: LedgerEvent; note: string; sealed: SupplementRow | null } {
  const event: LedgerEvent = {
    clueId,
    occurredAt: ctx.now.toISOString(),
    actor: ctx.actor,
    event: "clue.supplemented",
    complaintId: routed.complaint.complaintId,
    channel: routed.complaint.channel,
  };
  const { sealedOriginal, complaintId } = routed.complaint;
  const sealed = sealedOriginal
    ? { complaint_id: complaintId, clue_id: clueId, sealed_original: sealedOriginal, supplemented_at: event.occurredAt }
    : null;
  return { event, note: routed.complaint.text, sealed };
}
