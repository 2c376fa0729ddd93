import type { Row } from "@clueline/db";
import { type ClueSummary, iso } from "../http/views.js";

/** The columns of {@link ClueSummary}, for a query over `clues c`. */
export const summaryColumns = `c.clue_id, c.seq, c.complaint_id, c.nature, c.categories, c.departments, c.towns, c.channel,
  c.received_at, c.opened_at, c.state, c.reporter_kind, c.reopen_count, c.escalated, c.transfer_to`;

export function toClueSummary(row: Row, roles: string[] = []): ClueSummary {
  return {
    clueId: String(row.clue_id),
    complaintId: String(row.complaint_id),
    nature: row.nature as ClueSummary["nature"],
    categories: row.categories as string[],
    subjects: { departments: row.departments as string[], towns: row.towns as string[] },
    channel: row.channel as ClueSummary["channel"],
    receivedAt: iso(row.received_at),
    openedAt: iso(row.opened_at),
    state: row.state as ClueSummary["state"],
    reporterKind: row.reporter_kind as ClueSummary["reporterKind"],
    reopenCount: Number(row.reopen_count),
    escalated: Boolean(row.escalated),
    transferTo: (row.transfer_to as string | null) ?? null,
    roles,
  };
}
