/**
 * End-to-end routing benchmark through the real broker: N hotline events are produced to a fresh channel
 * topic first, then the router pipeline (consumer → normalize → route with PostgreSQL/PGlite state → publish
 * decision and unit records, acks = all → commit) drains them. Reports decisions/s over the drain.
 *
 *   npx tsx --conditions source services/router/bench/end-to-end.ts [--n 20000]
 *
 * Uses KAFKA_BROKERS (default 127.0.0.1:19092) and DATABASE_URL (default: in-memory PGlite).
 * Target: ≥ 5,000 decisions/s end to end.
 */
import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { createConsumerRunner, createKafka, createPublisher, ensureTopics } from "@clueline/bus";
import { clueRoutedTopic, type HotlineReceived, hotlineReceivedTopic, unitTopicName } from "@clueline/contracts";
import { createMetricsRegistry } from "@clueline/kit";
import pino from "pino";
import { ulid } from "ulid";
import { compileDirectory, defaultDirectoryPath, loadDirectory } from "../src/directory/index.js";
import { channelTopicNames, createChannelBatchHandler } from "../src/pipeline/channel-handler.js";
import { streamOwners } from "../src/pipeline/fan-out.js";
import { createBatchRouter } from "../src/routing/index.js";
import { createPostgresRouterState, openRouterDatabase } from "../src/state/index.js";

const { values } = parseArgs({ options: { n: { type: "string", default: "20000" }, profile: { type: "string" } } });
const count = Number(values.n);
const logger = pino({ level: "warn" });
const kafka = createKafka({
  brokers: (process.env.KAFKA_BROKERS ?? "127.0.0.1:19092").split(","),
  clientId: "bench-router",
  logger,
});
const prefix = `bench-${ulid().toLowerCase()}.`;
const directory = compileDirectory(await loadDirectory(defaultDirectoryPath));
const towns = directory.source.towns.map((town) => town.name);
const complaints = [
  "办事吃拿卡要，索要好处费",
  "审批拖着不批，迟迟不批",
  "违规收受红包礼金",
  "执法一刀切，粗暴执法",
  "新官不理旧账，拖欠企业账款",
];

await ensureTopics({
  kafka,
  withDlq: true,
  topics: [...channelTopicNames(prefix), prefix + clueRoutedTopic.name].map((name) => ({ name, partitions: 6 })),
});
await ensureTopics({
  kafka,
  topics: streamOwners(directory).map((owner) => ({ name: prefix + unitTopicName(owner), partitions: 1 })),
});
const publisher = createPublisher({ kafka, logger, timeoutMs: 30_000 });
await publisher.connect();

process.stderr.write(`producing ${count} hotline events…\n`);
const topic = prefix + hotlineReceivedTopic.name;
for (let start = 0; start < count; start += 5_000) {
  const batch = Array.from({ length: Math.min(5_000, count - start) }, (_, i) => {
    const n = start + i;
    const event: HotlineReceived = {
      complaintId: ulid(),
      channel: "hotline",
      line: n % 2 === 0 ? "12345" : "12388",
      callId: `bench-${n}`,
      operatorId: "op-1",
      startedAt: "2026-11-20T09:00:00+08:00",
      endedAt: "2026-11-20T09:05:00+08:00",
      receivedAt: new Date(Date.UTC(2026, 9, 1) + n * 60_000).toISOString(),
      summary: `反映${towns[n % towns.length]}工作人员${complaints[n % complaints.length]}`,
      reporter: { kind: "anonymous" },
      evidence: [],
    };
    return { topic, ...hotlineReceivedTopic.serialize(event, { source: "/bench" }) };
  });
  await publisher.publishAll(batch);
}

const schema = prefix.replace(/[^a-z0-9]/g, "_").slice(0, 40);
const database = await openRouterDatabase({ url: process.env.DATABASE_URL, dataDir: "memory://", schema });
const routeBatch = createBatchRouter({
  state: createPostgresRouterState({ db: database, schema }),
  directory: () => directory,
});
let routed = 0;
let firstBatchAt: number | undefined;
const batchHandler = createChannelBatchHandler({
  routeBatch: async (complaints, options) => {
    firstBatchAt ??= performance.now();
    const outcomes = await routeBatch(complaints, options);
    routed += outcomes.length;
    return outcomes;
  },
  publisher,
  topicPrefix: prefix,
  prepareTopics: async () => undefined,
});
const runner = createConsumerRunner({
  kafka,
  publisher,
  logger,
  metrics: createMetricsRegistry({ service: "router" }),
  groupId: `${prefix}router`,
  topics: channelTopicNames(prefix),
  batchHandler,
  partitionsConsumedConcurrently: 6,
});
process.stderr.write(`draining through the router (${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"})…\n`);
// --profile <file>: a V8 CPU profile of the drain alone (open it in Chrome DevTools or speedscope).
const profiler = values.profile ? new Session() : undefined;
profiler?.connect();
await profiler?.post("Profiler.enable");
await profiler?.post("Profiler.start");
const started = performance.now();
await runner.start();
while (routed < count) await new Promise((resolve) => setTimeout(resolve, 20));
const finished = performance.now();
if (profiler && values.profile) {
  const { profile } = await profiler.post("Profiler.stop");
  await writeFile(values.profile, JSON.stringify(profile));
}
const seconds = (finished - started) / 1000;
// Steady state: from the first batch in hand to the last decision published, without connect and group join.
const steadySeconds = (finished - (firstBatchAt ?? started)) / 1000;
await runner.stop();
await publisher.close();
await database.close();
const result = {
  bench: "router-end-to-end",
  decisions: count,
  seconds: Number(seconds.toFixed(2)),
  perSecond: Math.round(count / seconds),
  steadyPerSecond: Math.round(count / steadySeconds),
  cores: cpus().length,
  state: process.env.DATABASE_URL ? "postgresql" : "pglite",
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.stderr.write(
  `router end to end: ${result.perSecond} decisions/s including connect and group join, ${result.steadyPerSecond}/s from the first batch (${count} in ${result.seconds}s, ${result.cores} cores)\n`,
);
