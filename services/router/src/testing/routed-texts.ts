import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Complaint, RoutedComplaint } from "@clueline/contracts";
import type { CompiledDirectory } from "../directory/index.js";
import { parseLabelled } from "../evaluation/evaluate-cli.js";
import { routedRecordOf, storedValueOf } from "../pipeline/fan-out.js";
import { createBatchRouter } from "../routing/create-complaint-router.js";
import { createMemoryRouterState } from "../state/memory-router-state.js";

/** The labelled corpus of issue 19: complaints as people wrote them, 689 texts. */
export const labelledCorpusPath = new URL("../../../../test/data/complaints-labelled.jsonl", import.meta.url);

/**
 * The corpus's texts as complaints of every channel, a third from real-name reporters (each its own keyed hash),
 * ten a day, so that some repeat (rule 5) and some real-name follow-ups are merged (rule 8).
 */
export function corpusComplaints(): Complaint[] {
  const { texts } = parseLabelled(readFileSync(labelledCorpusPath, "utf8"));
  const channels = ["hotline", "intake", "media"] as const;
  return texts.map(({ text }, n) => ({
    id: `corpus-${n}`,
    channel: channels[n % channels.length] as Complaint["channel"],
    receivedAt: new Date(Date.parse("2026-01-01T08:00:00+08:00") + n * 8_640_000).toISOString(),
    text,
    reporter: n % 3 === 0 ? { kind: "real-name", hash: randomBytes(32).toString("hex") } : { kind: "anonymous" },
    ...(n % 3 === 2 ? { media: { reach: n * 37, program: "民生热线" } } : {}),
  }));
}

/**
 * A complaint as an edge passes it on: a real-name reporter's identity sealed (random bytes the size of a name and a
 * phone number, as incompressible as AES-GCM's), and the origin its channel gives.
 */
export function routedComplaintFor(complaint: Complaint): RoutedComplaint {
  const sealed = (bytes: number) => randomBytes(bytes).toString("base64");
  const origin =
    complaint.channel === "hotline"
      ? { line: "12388" as const, callId: `call-${complaint.id}` }
      : complaint.channel === "intake"
        ? { form: "web" }
        : {
            outlet: "区融媒体中心",
            program: complaint.media?.program,
            url: `https://news.example.cn/${complaint.id}`,
            reach: complaint.media?.reach,
          };
  return {
    complaintId: complaint.id,
    channel: complaint.channel,
    receivedAt: complaint.receivedAt,
    text: complaint.text,
    reporter:
      complaint.reporter.kind === "real-name"
        ? {
            kind: "real-name",
            hash: complaint.reporter.hash,
            identity: { alg: "A256GCM", keyId: "reporter-2026", iv: sealed(12), tag: sealed(16), ciphertext: sealed(60) },
          }
        : { kind: "anonymous" },
    subjects: complaint.subjects,
    evidence: [],
    origin,
  };
}

/**
 * The `ClueRouted` text of every clue the complaints open, exactly as the channel handler stores and publishes it:
 * routed in batches, in order, by the batch router on a memory state.
 *
 * @example
 * const texts = await routedTexts({ complaints: corpusComplaints(), directory });
 */
export async function routedTexts(params: {
  complaints: readonly Complaint[];
  directory: CompiledDirectory;
  batchSize?: number;
}): Promise<string[]> {
  const { complaints, directory } = params;
  const batchSize = params.batchSize ?? 100;
  const routeBatch = createBatchRouter({ state: createMemoryRouterState(), directory: () => directory });
  const texts: string[] = [];
  for (let at = 0; at < complaints.length; at += batchSize) {
    const batch = complaints.slice(at, at + batchSize);
    await routeBatch(batch, {
      routedOf: (decision, index) => {
        const complaint = routedComplaintFor(batch[index] as Complaint);
        const text = storedValueOf(routedRecordOf({ decision, complaint }, ""));
        texts.push(text);
        return text;
      },
    });
  }
  return texts;
}
