import { ClueNature, ClueState } from "@clueline/contracts";
import { z } from "zod";
import { appendLifecycle } from "../ledger/events/ledger-events.js";
import type { LedgerContext } from "../ledger/ledger-context.js";
import { ClueNotFound } from "../ledger/ledger-errors.js";
import { scrubberForClue } from "../ledger/scrub-notes.js";
import { classificationRefusal } from "./classification-rules.js";

/** A recorded classification as the API answers it. */
export interface Classification {
  clueId: string;
  complaintId: string;
  category: string;
  classifiedAt: string;
}

/** The clue as classifying reads it, under its lock; parsed, not cast (STYLE 11). */
const ClassifiedClueRow = z.object({
  complaint_id: z.string(),
  state: ClueState,
  nature: ClueNature,
  text: z.string(),
  channel: z.enum(["hotline", "intake", "media"]),
  received_at: z.union([z.date(), z.string()]),
  departments: z.array(z.string()),
  towns: z.array(z.string()),
  reporter_kind: z.enum(["anonymous", "real-name"]),
  reach: z.union([z.number(), z.string()]).nullable(),
  classification: z.enum(["none", "pending", "applied"]),
});

/**
 * The commission chooses the category of an unclassified clue (分办, rule 7): the choice is recorded with the clue's
 * scrubbed text (the pair [text, category]), and `clue.classified` goes to the outbox in the same transaction with
 * what the router needs to route the clue again, never the reporter's identity or hash. `ctx.actor` is the
 * commission's unit and `ctx.subject` the caller. The note, scrubbed of contacts and the reporter's identity,
 * stays in the clue's history, off the topic. Throws `ClueNotFound`, or `ClassificationRefused` (409).
 *
 * @example
 * await db.transaction((tx) => classifyClue({ ...ctx, tx }, { clueId, category: "bribe-demand" }));
 */
export async function classifyClue(
  ctx: LedgerContext,
  input: { clueId: string; category: string; note?: string | undefined },
): Promise<Classification> {
  const { rows } = await ctx.tx.query(
    `select c.complaint_id, c.state, c.nature, c.text, c.channel, c.received_at, c.departments, c.towns, c.reporter_kind,
       c.origin->'reach' as reach,
       coalesce((select case when k.rerouted_at is null then 'pending' else 'applied' end
                 from classifications k where k.clue_id = c.clue_id), 'none') as classification
     from clues c where c.clue_id = $1 for update of c`,
    [input.clueId],
  );
  if (!rows[0]) throw new ClueNotFound(input.clueId);
  const clue = ClassifiedClueRow.parse(rows[0]);
  const refused = classificationRefusal(clue);
  if (refused) throw refused;

  const classifiedAt = ctx.now.toISOString();
  await ctx.tx.query(
    // A category the router did not know left the clue unclassified: the new choice replaces that pair.
    `insert into classifications (clue_id, complaint_id, category, text, actor, classified_at)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (clue_id) do update set category = excluded.category, text = excluded.text, actor = excluded.actor,
       classified_at = excluded.classified_at, rerouted_at = null`,
    [input.clueId, clue.complaint_id, input.category, clue.text, ctx.subject, ctx.now],
  );
  const note = input.note === undefined ? undefined : (await scrubberForClue(ctx, input.clueId))(input.note);
  await appendLifecycle(
    ctx,
    {
      clueId: input.clueId,
      occurredAt: classifiedAt,
      actor: ctx.actor,
      event: "clue.classified",
      complaintId: clue.complaint_id,
      category: input.category,
      channel: clue.channel,
      receivedAt: new Date(clue.received_at).toISOString(),
      subjects: { departments: clue.departments, towns: clue.towns },
      reporterKind: clue.reporter_kind,
      mediaReach: clue.reach === null ? null : Number(clue.reach),
    },
    note,
  );
  return { clueId: input.clueId, complaintId: clue.complaint_id, category: input.category, classifiedAt };
}
