#!/usr/bin/env node
/**
 * Load test of the three HTTP edges against the real broker and store: each service runs as its own child
 * process (its main.ts, exactly as deployed, through the tsx loader), autocannon posts single records to it,
 * and the figures are printed as JSON and as a Markdown table.
 *
 *   node bench/edges.mjs [--duration 15] [--connections 64] [--rate 2000] [--services hotline,intake,media]
 *
 * Per service: a closed-loop run at full speed (accepted posts/s, p50/p99), then for the hotline an open-loop
 * run at --rate posts/s (p99 with coordinated omission corrected), and the child's peak resident memory (VmHWM).
 * Kafka and S3 come from .data/infra.env (run `npm run infra:up` first) or KAFKA_BROKERS / S3_ENDPOINT.
 * Topics are created under a fresh prefix and deleted afterwards. Targets (issue 3): hotline ≥ 5,000 posts/s,
 * p99 < 50 ms at 2,000/s, < 200 MB RSS.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { Kafka, logLevel } from "kafkajs";
import { createThrowawayIssuer } from "../scripts/dev-tokens.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "15" },
    connections: { type: "string", default: "64" },
    rate: { type: "string", default: "2000" },
    services: { type: "string", default: "hotline,intake,media" },
    "log-level": { type: "string", default: "info" },
    /** source: src/main.ts through the tsx loader; dist: the build (`npm run build` first), as deployed. */
    runtime: { type: "string", default: "source" },
    /**
     * V8 flags for the services only. The default is the edges' deployed setting (their `start` scripts and
     * `npm start`); pass "--node-options=" to measure without a heap cap.
     */
    "node-options": { type: "string", default: "--max-old-space-size=128" },
  },
});
const duration = Number(args.duration);
const connections = Number(args.connections);

function infraEnv() {
  let text = "";
  try {
    text = readFileSync(join(root, ".data/infra.env"), "utf8");
  } catch {
    // no local infra file: rely on the environment
  }
  const fromFile = Object.fromEntries(
    text
      .split("\n")
      .filter((line) => line.includes("=") && !line.startsWith("#"))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1).trim()]),
  );
  const pick = (name) => process.env[name] ?? fromFile[name];
  const env = {};
  for (const name of [
    "KAFKA_BROKERS",
    "S3_ENDPOINT",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_REGION",
    "S3_FORCE_PATH_STYLE",
  ]) {
    if (pick(name)) env[name] = pick(name);
  }
  if (!env.KAFKA_BROKERS) throw new Error("KAFKA_BROKERS unknown: run `npm run infra:up` or set it");
  return env;
}

const call = {
  line: "12388",
  callId: "C-bench",
  operatorId: "op-bench",
  startedAt: "2024-05-06T09:30:00+08:00",
  endedAt: "2024-05-06T09:36:40+08:00",
  reporter: { kind: "real-name", name: "张三", phone: "13800138000" },
  summary: "来电反映城关镇某工作人员办理审批时索要好处费，群众多次往返未果。",
  subjects: { towns: ["chengguan"] },
};
const report = { form: "web", text: "反映区市场监管局某科室办理许可时吃拿卡要。", reporter: { kind: "anonymous" } };
const exposure = {
  outlet: "区融媒体中心",
  program: "电视问政",
  publishedAt: "2024-05-06T20:00:00+08:00",
  reach: 125000,
  excerpt: "节目曝光某镇审批窗口迟迟不批，群众多次往返。",
};
const targets = {
  hotline: { port: 18081, path: "/v1/calls", scope: "complaint:write", body: call },
  intake: { port: 18082, path: "/v1/reports", scope: "complaint:write", body: report },
  media: { port: 18083, path: "/v1/exposures", scope: "media:write", body: exposure },
};

function startService(name, env) {
  const argv =
    args.runtime === "dist"
      ? [join(root, "services", name, "dist/main.js")]
      : ["--conditions=source", "--import", "tsx", join(root, "services", name, "src/main.ts")];
  const child = spawn(process.execPath, argv, {
    cwd: root,
    env: {
      ...process.env,
      ...env,
      PORT: String(targets[name].port),
      LOG_LEVEL: args["log-level"],
      NODE_OPTIONS: args["node-options"],
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return child;
}

async function waitReady(port, child) {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`service on ${port} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`service on ${port} not ready in 60 s`);
}

/** Live heap vs resident memory, from the service's own /metrics (prom-client default metrics). */
async function heapOf(port) {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const mb = (name) => Math.round(Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, "m").exec(text)?.[1] ?? 0) / 2 ** 20);
  return { heapUsedMb: mb("nodejs_heap_size_used_bytes"), heapTotalMb: mb("nodejs_heap_size_total_bytes") };
}

function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb("VmRSS") / 1024), peakRssMb: Math.round(kb("VmHWM") / 1024) };
}

function load(options) {
  return autocannon({
    url: `http://127.0.0.1:${options.port}${options.path}`,
    method: "POST",
    headers: { "content-type": "application/json", authorization: options.authorization },
    body: JSON.stringify(options.body),
    connections: options.connections,
    duration: options.duration,
    ...(options.rate ? { overallRate: options.rate } : {}),
  });
}

const summary = (result, seconds) => ({
  acceptedPerSecond: Math.round(result["2xx"] / seconds),
  non2xx: result.non2xx,
  errors: result.errors + result.timeouts,
  p50Ms: result.latency.p50,
  p99Ms: result.latency.p99,
});

const env = infraEnv();
const prefix = `bench-edges-${Date.now().toString(36)}.`;
// The services verify EdDSA tokens against this issuer's JWKS file; the bench alone holds the private key.
const issuer = createThrowawayIssuer({ issuer: "clueline-bench" });
const serviceEnv = {
  ...env,
  TOPIC_PREFIX: prefix,
  S3_BUCKET: "clueline-bench",
  ...issuer.env,
  IDENTITY_KEYS: `k1:${randomBytes(32).toString("base64")}`,
  IDENTITY_ACTIVE_KEY: "k1",
  IDENTITY_HASH_KEY: randomBytes(32).toString("base64"),
  MEDIA_WEBHOOK_SENDER_SECRETS: `bench:${randomBytes(32).toString("hex")}`,
};

const results = {};
for (const name of args.services.split(",")) {
  const target = targets[name];
  const child = startService(name, serviceEnv);
  try {
    await waitReady(target.port, child);
    const base = {
      ...target,
      authorization: `Bearer ${await issuer.issue(`bench-${name}`, target.scope.split(" "))}`,
      connections,
    };
    await load({ ...base, duration: 3 }); // warm-up: JIT, producer metadata, connection pools
    const full = summary(await load({ ...base, duration }), duration);
    const entry = { full };
    if (name === "hotline") {
      const rate = Number(args.rate);
      entry.atRate = { rate, ...summary(await load({ ...base, duration, rate }), duration) };
    }
    results[name] = { ...entry, ...memoryOf(child.pid), ...(await heapOf(target.port)) };
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
}

const kafka = new Kafka({ clientId: "bench-cleanup", brokers: env.KAFKA_BROKERS.split(","), logLevel: logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
const benchTopics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
if (benchTopics.length > 0) await admin.deleteTopics({ topics: benchTopics });
await admin.disconnect();

const machine = {
  cores: cpus().length,
  cpu: cpus()[0]?.model,
  memoryGb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
};
const output = {
  machine,
  runtime: args.runtime,
  nodeOptions: args["node-options"],
  durationSeconds: duration,
  connections,
  results,
};
console.log(JSON.stringify(output, null, 2));
console.log(`\n${machine.cores} cores (${machine.cpu}), shared by Kafka, the service under test and autocannon\n`);
console.log("| service | accepted/s | p50 ms | p99 ms | non-2xx | p50 / p99 ms at fixed rate | peak RSS MB |");
console.log("|---|---|---|---|---|---|---|");
for (const [name, r] of Object.entries(results)) {
  const atRate = r.atRate
    ? `${r.atRate.p50Ms} / ${r.atRate.p99Ms} at ${r.atRate.rate}/s (${r.atRate.acceptedPerSecond}/s accepted)`
    : "–";
  console.log(
    `| ${name} | ${r.full.acceptedPerSecond} | ${r.full.p50Ms} | ${r.full.p99Ms} | ${r.full.non2xx} | ${atRate} | ${r.peakRssMb} |`,
  );
}
