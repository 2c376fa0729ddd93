import type { ClueRouted } from "@clueline/contracts";
import { receiptSelectorOf } from "../feedback/receipt-lookup.js";
import { assignUnit } from "./assign-unit.js";
import { startDeadline } from "./deadline-rows.js";
import { eventBase, type LedgerContext } from "./ledger-context.js";
import { appendLifecycle } from "./ledger-events.js";
import { lockClue, showClueTo } from "./ledger-records.js";

/**
 * Records a routing decision: a new clue with its assignments, clocks and visibility, or a supplement to the
 * clue a complaint was merged into (rule 8: no new assignments; its text joins the clue's history). A second
 * decision for a clue already in the ledger changes nothing (rule 9), whatever its event id.
 */
export async function openClue(ctx: LedgerContext, routed: ClueRouted): Promise<"opened" | "supplemented" | "known"> {
  const { decision, complaint } = routed;
  if (decision.mergedInto !== null) {
    await lockClue(ctx.tx, decision.mergedInto);
    const event = {
      ...eventBase(ctx, decision.mergedInto),
      event: "clue.supplemented",
      complaintId: complaint.complaintId,
    } as const;
    await appendLifecycle(ctx, { ...event, channel: complaint.channel }, complaint.text);
    return "supplemented";
  }

  const { reporter } = complaint;
  const realName = reporter.kind === "real-name";
  const inDistrict = decision.discipline !== null || decision.service !== null;
  const receiptHash = reporter.kind === "anonymous" ? (reporter.receiptHash ?? null) : null;
  const inserted = await ctx.tx.query(
    `insert into clues (clue_id, complaint_id, nature, categories, departments, towns, channel, received_at, opened_at,
       text, evidence, origin, reporter_kind, reporter_hash, reporter_identity, receipt_selector, receipt_hash, state,
       transfer_to, transfer_also, reasons, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $9)
     on conflict do nothing`,
    [
      decision.clueId,
      decision.complaintId,
      decision.nature,
      decision.categories,
      decision.subjects.departments,
      decision.subjects.towns,
      complaint.channel,
      complaint.receivedAt,
      ctx.now,
      complaint.text,
      JSON.stringify(complaint.evidence),
      JSON.stringify(complaint.origin),
      reporter.kind,
      realName ? reporter.hash : null,
      realName ? JSON.stringify(reporter.identity) : null,
      receiptHash ? receiptSelectorOf(receiptHash) : null,
      receiptHash,
      inDistrict ? "open" : "transferred",
      decision.transfer?.to ?? null,
      decision.transfer?.alsoTo ?? [],
      JSON.stringify(decision.reasons),
    ],
  );
  if (inserted.rowCount === 0) return "known";

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
  const notice = realName && inDistrict ? ctx.deadlines.acceptanceNotice({ receivedAt: new Date(complaint.receivedAt) }) : null;

  await appendLifecycle(ctx, {
    ...eventBase(ctx, decision.clueId),
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
    acceptanceNoticeDueOn: notice?.dueOn ?? null,
  });
  for (const unitId of informed) await showClueTo(ctx.tx, { clueId: decision.clueId, unitId, role: "informed" });
  for (const assignment of [...leads, ...assists]) {
    await assignUnit(ctx, { ...assignment, clueId: decision.clueId, cause: "routing", channel: complaint.channel });
  }
  if (notice) {
    const owner = { clueId: decision.clueId, assignmentId: null, unitId: leads[0]?.unitId ?? null };
    await startDeadline(ctx.tx, { ...owner, kind: "acceptance-notice", due: notice });
  }
  if (!inDistrict && transfer) {
    await appendLifecycle(ctx, {
      ...eventBase(ctx, decision.clueId),
      event: "clue.transferred-out",
      to: transfer.to,
      alsoTo: transfer.alsoTo,
    });
  }
  return "opened";
}
