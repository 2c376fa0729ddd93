/**
 * In-process routing benchmark: N generated complaints (a realistic mix of channels, natures, subjects,
 * real-name repeats and media exposures) routed with the default directory through the same path as the
 * service and CLI (createComplaintRouter → route → memory state), one at a time, in order.
 *
 *   npx tsx services/router/bench/in-process.ts [--n 200000] [--seed 7] [--directory file.yaml]
 *
 * Each round routes the complaints twice, with the directory as loaded and with matching by similarity turned off
 * (`similarityThreshold: 1`), alternately, two rounds; the best of the rounds counts for each. Issue #19's target:
 * with the shipped examples loaded and similarity on, at least 80 % of the decisions per second without it, in the
 * same run. When the loaded directory has similarity off already, its threshold for the "on" figures is 0.1.
 *
 * stdout: one JSON line with the figures; stderr: one line for people. Target: ≥ 50,000 decisions/s.
 */
import { parseArgs } from "node:util";
import type { Complaint } from "@clueline/contracts";
import { type CompiledDirectory, compileDirectory, defaultDirectoryPath, loadDirectory } from "../src/directory/index.js";
import { createComplaintRouter, emptyHistory, route } from "../src/routing/index.js";
import { createMemoryRouterState } from "../src/state/memory-router-state.js";

const { values } = parseArgs({
  options: { n: { type: "string", default: "200000" }, seed: { type: "string", default: "7" }, directory: { type: "string" } },
});
const count = Number(values.n);
const directoryPath = values.directory ?? defaultDirectoryPath;
const loaded = await loadDirectory(directoryPath);
const withThreshold = (similarityThreshold: number) =>
  compileDirectory({ ...loaded, policy: { ...loaded.policy, similarityThreshold } });
const directory = loaded.policy.similarityThreshold < 1 ? compileDirectory(loaded) : withThreshold(0.1);
const withoutSimilarity = withThreshold(1);
const exampleCount = loaded.categories.reduce((sum, category) => sum + (category.examples?.length ?? 0), 0);

/** Mulberry32: a seeded generator, so every run routes the same complaints. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(params: { count: number; seed: number; directory: CompiledDirectory }): Complaint[] {
  const random = createRandom(params.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const { source } = params.directory;
  const towns = source.towns.map((t) => [t.name, ...t.aliases]);
  const departments = source.departments.map((d) => [d.name, ...d.aliases]);
  const conduct = source.categories.filter((c) => c.kind === "conduct").map((c) => c.keywords);
  const service = source.categories.filter((c) => c.kind === "service").map((c) => c.keywords);
  const openers = ["反映", "群众反映", "企业反映", "来电人称", "网民留言：", "服务意见簿记录：", ""];
  const middles = ["工作人员", "的干部", "窗口人员", "执法人员", "负责人", "有关人员"];
  const closers = ["，希望尽快处理。", "，请领导重视。", "，已经反映多次。", "。", "，严重影响营商环境。"];
  const reporters = Array.from({ length: 3000 }, (_, i) => i.toString(16).padStart(64, "0"));
  const start = Date.parse("2024-01-01T08:00:00+08:00");
  const complaints: Complaint[] = [];
  for (let i = 0; i < params.count; i += 1) {
    // ~100 complaints a day, as a busy district receives; repeats and merges follow from that.
    const receivedAt = new Date(start + i * 864_000).toISOString();
    const earlier = complaints[complaints.length - 1 - Math.floor(random() * 300)];
    if (earlier?.reporter.kind === "real-name" && random() < 0.25) {
      // A real-name reporter following up on their own complaint (补充反映) within a few days.
      complaints.push({ ...earlier, id: `bench-${i}`, receivedAt, text: `补充反映：${earlier.text}` });
      continue;
    }
    const roll = random();
    const place =
      roll < 0.45
        ? pick(pick(towns))
        : roll < 0.85
          ? pick(pick(departments))
          : `${pick(pick(towns))}和${pick(pick(departments))}`;
    const kind = random();
    const issue =
      kind < 0.5
        ? pick(pick(conduct))
        : kind < 0.8
          ? pick(pick(service))
          : kind < 0.93
            ? `${pick(pick(conduct))}，${pick(pick(service))}`
            : "情况";
    const channel = random() < 0.6 ? "hotline" : random() < 0.85 ? "intake" : "media";
    complaints.push({
      id: `bench-${i}`,
      channel,
      receivedAt,
      text: `${pick(openers)}${place}${pick(middles)}${issue}${pick(closers)}`,
      reporter: random() < 0.35 ? { kind: "real-name", hash: pick(reporters) } : { kind: "anonymous" },
      ...(random() < 0.05
        ? { subjects: { persons: [{ rank: pick(["county", "department-head", "town-secretary", "city", "staff"]) }] } }
        : {}),
      ...(channel === "media" ? { media: { reach: Math.floor(random() * 200_000), program: "电视问政" } } : {}),
    });
  }
  return complaints;
}

async function routeAll(complaints: readonly Complaint[], directory: CompiledDirectory) {
  const routeComplaint = createComplaintRouter({ state: createMemoryRouterState(), directory: () => directory });
  const tally = { merged: 0, escalated: 0, transferred: 0, service: 0, unclassified: 0 };
  const started = process.hrtime.bigint();
  for (const complaint of complaints) {
    const { decision } = await routeComplaint(complaint);
    if (decision.mergedInto !== null) tally.merged += 1;
    if (decision.reasons.some((r) => r.rule === 5 && !r.detail.endsWith("transferred)"))) tally.escalated += 1;
    if (decision.transfer !== null) tally.transferred += 1;
    if (decision.service !== null) tally.service += 1;
    if (decision.nature === "unclassified") tally.unclassified += 1;
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, tally };
}

function routePure(complaints: readonly Complaint[], directory: CompiledDirectory): number {
  const started = process.hrtime.bigint();
  const ids = {
    clueId: "01HZZZZZZZZZZZZZZZZZ000001",
    decisionId: "01HZZZZZZZZZZZZZZZZZ000002",
    decidedAt: "2024-01-01T00:00:00.000Z",
  };
  for (const complaint of complaints) route({ complaint, directory, history: emptyHistory, ...ids });
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const complaints = generate({ count, seed: Number(values.seed), directory });
const warm = generate({ count: Math.min(20_000, count), seed: 1, directory });
await routeAll(warm, directory); // warm the JIT
await routeAll(warm, withoutSimilarity);

interface Figures {
  seconds: number;
  tally: Awaited<ReturnType<typeof routeAll>>["tally"];
  pureSeconds: number;
}
const best = (a: Figures | undefined, b: Figures): Figures => (a && a.seconds <= b.seconds ? a : b);
let on: Figures | undefined;
let off: Figures | undefined;
for (let round = 0; round < 2; round += 1) {
  for (const [similar, compiled] of [
    [false, withoutSimilarity],
    [true, directory],
  ] as const) {
    const { seconds, tally } = await routeAll(complaints, compiled);
    const figures = { seconds, tally, pureSeconds: routePure(complaints, compiled) };
    if (similar) on = best(on, figures);
    else off = best(off, figures);
  }
}
const { seconds, tally, pureSeconds } = on as Figures;
const offSeconds = (off as Figures).seconds;
const result = {
  bench: "router.in-process",
  complaints: count,
  examples: exampleCount,
  similarityThreshold: directory.policy.similarityThreshold,
  seconds: Number(seconds.toFixed(3)),
  decisionsPerSecond: Math.round(count / seconds),
  pureRoutePerSecond: Math.round(count / pureSeconds),
  withoutSimilarityPerSecond: Math.round(count / offSeconds),
  withoutSimilarityPurePerSecond: Math.round(count / (off as Figures).pureSeconds),
  /** Decisions per second with similarity on ÷ without it (target ≥ 0.8). */
  similarityRatio: Number((offSeconds / seconds).toFixed(3)),
  ...tally,
  node: process.version,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.stderr.write(
  `routed ${count} complaints in ${seconds.toFixed(2)} s: ${result.decisionsPerSecond.toLocaleString("en")} decisions/s with memory state ` +
    `(${result.pureRoutePerSecond.toLocaleString("en")}/s pure route), similarity on (${exampleCount} examples, threshold ` +
    `${result.similarityThreshold}); without similarity ${result.withoutSimilarityPerSecond.toLocaleString("en")}/s, ` +
    `ratio ${result.similarityRatio} (target ≥ 0.8); ${tally.merged} merged, ${tally.escalated} escalated, ` +
    `${tally.transferred} transferred, ${tally.service} on the service track\n`,
);
