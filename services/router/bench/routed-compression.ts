/**
 * What storing an opening's `ClueRouted` text compressed (migration 6) saves and costs, on the texts of the clues the
 * labelled corpus opens (routed by the batch router, each value built as the channel handler builds it): bytes per
 * text with the preset dictionary and without, and the router's CPU per opening (process CPU time, best of rounds) to
 * compress it as the write parameter takes it, beside what the write already spends on the text, and to read it back.
 *
 *   npm run bench:routed-compression -w @clueline/router [-- --rounds 9]
 *
 * stdout: one JSON line with the figures; stderr: a line per figure.
 */
import { parseArgs } from "node:util";
import { deflateRawSync } from "node:zlib";
import type { RoutingDecision } from "@clueline/contracts";
import { compileDirectory, defaultDirectoryPath, loadDirectory } from "../src/directory/index.js";
import { routedRecordOf, storedValueOf } from "../src/pipeline/fan-out.js";
import { compressRouted, decompressRouted } from "../src/state/compressed-routed.js";
import { corpusComplaints, routedComplaintFor, routedTexts } from "../src/testing/routed-texts.js";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "9" } } });
const rounds = Number(values.rounds);

const directory = compileDirectory(await loadDirectory(defaultDirectoryPath));
const complaints = corpusComplaints();
const texts = await routedTexts({ complaints, directory });
const openings = texts.map((text) => {
  const decision = (JSON.parse(text) as { decision: RoutingDecision }).decision;
  const complaint = routedComplaintFor(complaints.find((c) => c.id === decision.complaintId) as (typeof complaints)[number]);
  return { text, decision, complaint, stored: compressRouted(text) as Buffer };
});

/** CPU µs per opening of `work`, the best of the rounds (the first round warms up). */
function cpuPerOpening(work: (opening: (typeof openings)[number]) => unknown): number {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round <= rounds; round++) {
    const start = process.cpuUsage();
    for (const opening of openings) work(opening);
    const used = process.cpuUsage(start);
    if (round > 0) best = Math.min(best, (used.user + used.system) / openings.length);
  }
  return Math.round(best * 10) / 10;
}

const mean = (sizes: number[]) => Math.round(sizes.reduce((sum, size) => sum + size, 0) / sizes.length);
const figures = {
  openings: openings.length,
  textBytes: mean(texts.map((text) => Buffer.byteLength(text))),
  storedBytes: mean(openings.map(({ stored }) => stored.length)),
  withoutDictionaryBytes: mean(texts.map((text) => 1 + deflateRawSync(text, { level: 3 }).length)),
  // What the write spends on the text today: the routed record and its value (built once, published and stored).
  buildUs: cpuPerOpening(({ decision, complaint }) => storedValueOf(routedRecordOf({ decision, complaint }, ""))),
  // The text in the write's jsonb parameter, as it went before and as it goes now.
  textParameterUs: cpuPerOpening(({ text }) => JSON.stringify(text)),
  compressedParameterUs: cpuPerOpening(({ text }) => JSON.stringify((compressRouted(text) as Buffer).toString("base64"))),
  compressUs: cpuPerOpening(({ text }) => compressRouted(text)),
  decompressUs: cpuPerOpening(({ stored }) => decompressRouted(stored)),
};
for (const [name, value] of Object.entries(figures)) process.stderr.write(`  ${name}: ${value}\n`);
console.log(JSON.stringify(figures));
