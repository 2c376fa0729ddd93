import { ClueState } from "@clueline/contracts";
import { z } from "zod";
import { Instant } from "./row-types.js";
import { ClueSummary } from "./views.js";

/** The columns of {@link ClueSummary}, for a query over `clues c`; {@link ClueSummaryRow} parses them. */
export const summaryColumns = `c.clue_id, c.seq, c.complaint_id, c.nature, c.categories, c.departments, c.towns, c.channel,
  c.received_at, c.opened_at, c.state, c.reporter_kind, c.reopen_count, c.escalated, c.transfer_to`;

/** A row of {@link summaryColumns}; a query that selects more extends it. */
export const ClueSummaryRow = z.object({
  clue_id: z.string(),
  complaint_id: z.string(),
  nature: ClueSummary.shape.nature,
  categories: z.array(z.string()),
  departments: z.array(z.string()),
  towns: z.array(z.string()),
  channel: ClueSummary.shape.channel,
  received_at: Instant,
  opened_at: Instant,
  state: ClueState,
  reporter_kind: ClueSummary.shape.reporterKind,
  reopen_count: z.int(),
  escalated: z.boolean(),
  transfer_to: z.string().nullable(),
});
export type ClueSummaryRow = z.infer<typeof ClueSummaryRow>;

export function toClueSummary(row: ClueSummaryRow, roles: string[] = []): ClueSummary {
  return {
    clueId: row.clue_id,
    complaintId: row.complaint_id,
    nature: row.nature,
    categories: row.categories,
    subjects: { departments: row.departments, towns: row.towns },
    channel: row.channel,
    receivedAt: row.received_at,
    openedAt: row.opened_at,
    state: row.state,
    reporterKind: row.reporter_kind,
    reopenCount: row.reopen_count,
    escalated: row.escalated,
    transferTo: row.transfer_to,
    roles,
  };
}
