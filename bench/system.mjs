#!/usr/bin/env node
// @ts-check
/**
 * The whole pipeline under open-loop load: the five services run as child processes from their build
 * (`services/<name>/dist/main.js`, as `npm start` runs them) on a fresh topic prefix, fresh secrets, their own
 * consumer groups and PGlite ledgers in a temporary directory (or a fresh database on DATABASE_URL's server).
 * autocannon posts hotline calls (`POST /v1/calls`) and intake reports (`POST /v1/reports`) together, half each,
 * at a fixed overall rate (`overallRate`, spread over ten phase-shifted runs, see `load`) per step, at rising rates
 * until a step is not sustained.
 *
 *   node bench/system.mjs [--rates 50,100,250,500,1000,1500,2000,3000] [--duration 15] [--drain 10]
 *                         [--perf-records 200000] [--pglite dir|memory] [--partitions 6] [--log-level info]
 *                         [--past-failure 0] [--budget 420] [--warmup 60] [--warmup-rate 300] [--heap-mb 160]
 *
 * Per step: offered and accepted complaints/s, HTTP latency p50/p99 (open-loop: from each request's slot in the
 * schedule, see `load`), the consumer lag of the router's and closure's groups sampled every second (admin
 * `fetchOffsets` against `fetchTopicOffsets`) with its slope and value at the end of the step, records/s each got
 * through, end-to-end latency 202 → ledger row, CPU per process (/proc/<pid>/stat, the broker's and
 * everything else on the machine too) and the load average: other work shares these cores, and the figures say so.
 * Afterwards: each service's peak resident memory (VmHWM), the broker's own ceiling from Kafka's producer perf
 * tool at the mean size of our hotline records, and our highest sustained rate as a ratio of it.
 *
 * End-to-end latency, how it is measured. When a 202 arrives, the bench notes the complaint id from its body and
 * the wall clock (t202). Closure writes a `clue.opened` (or, for a complaint merged into an open clue,
 * `clue.supplemented`) lifecycle event in the same ledger transaction that inserts the clue row; its `occurredAt`
 * is the transaction's clock, the value stored as the row's `opened_at`. A consumer in this process reads
 * `<prefix>clueline.clue.lifecycle.v1` and keeps complaint id → occurredAt. e2e = occurredAt − t202: both clocks are
 * this machine's, and how late the outbox relay or our reader sees the event does not count. `occurredAt` is taken
 * at the start of the ledger transaction, so the row becomes visible a few ms later (the commit); and t202 is when
 * this (busy) process got to the response, which can be after the row exists (then e2e is ≤ 0). So the figure
 * from the edge's own `receivedAt` (in the 202 body, taken when the request arrived) to the row is reported too,
 * as an upper bound. A complaint with no row when the step's drain ends counts as (drain end − t202), a lower
 * bound, and the step's p99 is then flagged as a lower bound.
 *
 * A step is sustained when accepted ≥ 97 % of offered (and ≤ 0.5 % errors), neither group's lag grows (slope
 * ≥ 3 % of the rate per second while more than half a second of traffic is queued at the end) and e2e p99 < 1 s.
 * Rates stop rising at the first step that is not sustained, or when the time budget (~7 min) runs out.
 *
 * Kafka and S3 come from KAFKA_BROKERS / S3_ENDPOINT, .data/infra.env or infra/'s default ports. Every topic under the
 * prefix and every consumer group this run made are deleted at the end. Prints one JSON line on stdout (collected by
 * bench/run.mjs), progress on stderr, and writes bench/results/system.json and bench/results/system.md.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { Kafka, logLevel } from "kafkajs";
import { createThrowawayIssuer } from "../scripts/dev-tokens.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values: args } = parseArgs({
  options: {
    rates: { type: "string", default: "50,100,250,500,1000,1500,2000,3000,4000,5000" },
    duration: { type: "string", default: "15" },
    /** After each step, wait at most this long for the lag to clear and every accepted complaint to reach the ledger. */
    drain: { type: "string", default: "10" },
    /**
     * Seconds of load at --warmup-rate before the first step, in windows of 10 s. V8 compiles the services' hot
     * code as it runs: at a fixed 300/s the hotline's CPU fell from 0.30 to 0.14 cores over its first 70 s, the
     * router's and closure's from 0.25 to 0.15, so a step run on cold services measures the compiler too.
     */
    warmup: { type: "string", default: "60" },
    "warmup-rate": { type: "string", default: "300" },
    "perf-records": { type: "string", default: "200000" },
    /** dir: PGlite ledgers in a temporary directory, as deployed; memory: in memory. Ignored with DATABASE_URL. */
    pglite: { type: "string", default: "dir" },
    /** Partitions of the topics the services create; empty keeps the services' default (KAFKA_PARTITIONS, 6). */
    partitions: { type: "string", default: "" },
    "log-level": { type: "string", default: "info" },
    /** Steps still run after the first that is not sustained (0: stop rising there); for exploring where it breaks. */
    "past-failure": { type: "string", default: "0" },
    /** Services to run under `node --cpu-prof` (comma-separated); the profiles are kept in the run's temporary directory. */
    profile: { type: "string", default: "" },
    /** Stop rising when this many seconds have passed since the start. */
    budget: { type: "string", default: "420" },
    /** V8 old-space limit (MB) for the router and the closure: 160 as `npm start` runs them; 0 for V8's default. */
    "heap-mb": { type: "string", default: "160" },
  },
});
const rates = args.rates.split(",").map(Number);
const stepSeconds = Number(args.duration);
const drainSeconds = Number(args.drain);
const partitions = args.partitions ? Number(args.partitions) : 6;
const startedAt = Date.now();
const loadAverageAtStart = Number(loadavg()[0].toFixed(2));
const clockTick = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on Linux
const serviceNames = ["hotline", "intake", "media", "router", "closure"];

function log(message) {
  process.stderr.write(`[system ${String(Math.round((Date.now() - startedAt) / 1000)).padStart(3)} s] ${message}\n`);
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function readEnvFile(path) {
  if (!existsSync(path)) return {};
  return Object.fromEntries(
    readFileSync(path, "utf8")
      .split("\n")
      .filter((line) => line.includes("=") && !line.startsWith("#"))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1).trim()]),
  );
}

/**
 * Kafka and S3 from the environment, else .data/infra.env, else infra/'s documented defaults (the file lists only
 * what the last `up.sh` managed, and another session's `up.sh` may rewrite it while this runs).
 */
function infraEnv() {
  const fromFile = readEnvFile(join(root, ".data/infra.env"));
  const defaults = {
    KAFKA_BROKERS: `127.0.0.1:${process.env.CLUELINE_KAFKA_PORT ?? 19092}`,
    S3_ENDPOINT: `http://127.0.0.1:${process.env.CLUELINE_S3_PORT ?? 19000}`,
    S3_ACCESS_KEY_ID: "clueline",
    S3_SECRET_ACCESS_KEY: "clueline-secret",
    S3_REGION: "us-east-1",
    S3_FORCE_PATH_STYLE: "true",
  };
  return Object.fromEntries(
    Object.entries(defaults).map(([name, value]) => [name, process.env[name] || fromFile[name] || value]),
  );
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------- complaints

/** Half the load follows the demo scenario's hotline and intake complaints; the other half spreads over 40 towns. */
const scenario = JSON.parse(readFileSync(join(root, "test/scenario/demo.json"), "utf8")).steps;
const demoCalls = scenario.filter((step) => step.service === "hotline").map((step) => step.body);
const demoReports = scenario.filter((step) => step.service === "intake").map((step) => step.body);
/** The directory the router, the edges and the closure are given (the shipped one unless DIRECTORY_FILE names another). */
const directoryFile = resolve(process.env.DIRECTORY_FILE ?? join(root, "packages/directory/default.yaml"));
const towns = [...readFileSync(directoryFile, "utf8").matchAll(/^ {2}- \{ id: ([a-z0-9-]+), name: ([^,]+),/gm)]
  .map((match) => ({ id: match[1], name: match[2] }))
  .slice(0, 40);
const grievances = [
  "工作人员办理审批时索要好处费，不给就拖着不办",
  "窗口审批拖着不批，材料齐全却迟迟不批",
  "村干部违规收受红包礼金",
  "执法一刀切，粗暴执法",
  "新官不理旧账，拖欠企业账款",
  "低保评定优亲厚友",
  "工程项目验收走过场，质量问题无人管",
];
const surnames = "王李张刘陈杨赵黄周吴";
const pick = (list) => list[randomInt(list.length)];
/** 5 % of real-name reporters come back (a pool of 200 phones), so some complaints merge into open clues (rule 8). */
const repeatPhones = Array.from({ length: 200 }, () => `139${String(randomInt(1e8)).padStart(8, "0")}`);
function reporter() {
  if (randomInt(10) < 4) return { kind: "anonymous" };
  const phone = randomInt(20) === 0 ? pick(repeatPhones) : `138${String(randomInt(1e8)).padStart(8, "0")}`;
  return { kind: "real-name", name: `${pick(surnames)}某`, phone };
}
let sequence = 0;
function callBody() {
  const at = new Date(Date.now() - 300_000).toISOString();
  const n = sequence++;
  const base = { callId: `S-${n}`, operatorId: `op-${n % 12}`, startedAt: at, endedAt: at, reporter: reporter() };
  if (randomInt(2) === 0) return JSON.stringify({ ...pick(demoCalls), ...base });
  const town = pick(towns);
  const line = randomInt(2) === 0 ? "12345" : "12388";
  const summary = `来电反映${town.name}${pick(grievances)}。`;
  return JSON.stringify({ ...base, line, summary, ...(randomInt(2) === 0 ? { subjects: { towns: [town.id] } } : {}) });
}
function reportBody() {
  if (randomInt(2) === 0) return JSON.stringify({ ...pick(demoReports), reporter: reporter() });
  const town = pick(towns);
  return JSON.stringify({
    form: pick(["web", "app", "letter"]),
    text: `反映${town.name}${pick(grievances)}。`,
    reporter: reporter(),
  });
}

// ---------------------------------------------------------------------------------------------- measurement helpers

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const round = (value, digits = 0) => (value === null || !Number.isFinite(value) ? null : Number(value.toFixed(digits)));

function cpuTicksOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return null;
  }
}
function machineTicks() {
  const [, ...fields] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/);
  const numbers = fields.map(Number);
  const total = numbers.slice(0, 8).reduce((sum, value) => sum + value, 0);
  return { total, busy: total - numbers[3] - numbers[4] };
}
function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rssMb: Math.round(kb("VmRSS") / 1024), peakRssMb: Math.round(kb("VmHWM") / 1024) };
  } catch {
    return null;
  }
}
function pidFile(name) {
  try {
    const pid = Number(readFileSync(join(root, ".data", `${name}.pid`), "utf8").trim());
    return existsSync(`/proc/${pid}`) ? pid : null;
  } catch {
    return null;
  }
}

/**
 * CPU of every PostgreSQL process on the machine (backends, the writers, autovacuum), with what exited children
 * used (their parent's cutime + cstime), so a step's share is the difference of two snapshots. Other databases'
 * backends idle; null when no PostgreSQL runs here (PGlite lives in the closure and router processes).
 */
function postgresTicks() {
  let ticks = 0;
  let found = false;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) !== "postgres") continue;
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      found = true;
    } catch {
      // the process ended between the listing and the read
    }
  }
  return found ? ticks : null;
}

/**
 * The PostgreSQL backends of this run's database, by the service that holds them (each names its pool with
 * `application_name`: clueline-router, clueline-closure), so PostgreSQL's share can be split between them.
 */
async function backendPids() {
  if (!database) return {};
  const rows = await adminQuery(
    "select pid, application_name from pg_stat_activity where datname = $1 and application_name like 'clueline-%'",
    [database.name],
  );
  /** @type {Record<string, number[]>} */
  const byService = {};
  for (const row of rows) {
    const name = `postgres:${row.application_name.slice("clueline-".length)}`;
    byService[name] = [...(byService[name] ?? []), row.pid];
  }
  return byService;
}

/**
 * One statement on DATABASE_URL's server (the database it names), on a connection of its own.
 * @param {string} sql
 * @param {unknown[]} [params]
 * @returns {Promise<any[]>} the rows
 */
async function adminQuery(sql, params = []) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Runs `work` (a load) and returns what it returned, each process's CPU and the server's counters meanwhile. */
async function withCpu(work) {
  const backends = await backendPids();
  const counters = await serverCounters();
  const before = cpuSnapshot(pids, backends);
  const result = await work();
  const cpu = cpuBetween(before, cpuSnapshot(pids, backends));
  return { result, cpu, server: countersBetween(counters, await serverCounters()), startedAt: before.at };
}

/**
 * PostgreSQL's own counters, so a step can say what the server did besides burning CPU: WAL written (records, bytes,
 * full-page images, waits on a full WAL buffer), checkpoints, buffers a backend had to write out itself to free one,
 * and this run's database's block reads (from outside shared buffers) and hits. Null with PGlite.
 */
async function serverCounters() {
  if (!database) return null;
  try {
    const [row] = await adminQuery(
      `select w.wal_records, w.wal_bytes, w.wal_fpi, w.wal_buffers_full,
         b.checkpoints_timed + b.checkpoints_req as checkpoints, b.buffers_backend, b.buffers_alloc,
         d.blks_read, d.blks_hit, d.xact_commit
       from pg_stat_wal w, pg_stat_bgwriter b, pg_stat_database d where d.datname = $1`,
      [database.name],
    );
    return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)]));
  } catch (error) {
    log(`PostgreSQL's counters could not be read (${error.message}); the step reports none`);
    return null;
  }
}

function countersBetween(before, after) {
  if (!before || !after) return null;
  return Object.fromEntries(Object.keys(after).map((key) => [key, after[key] - before[key]]));
}

/**
 * CPU of every process of interest, so a step's share per process is the difference of two snapshots. `backends`
 * (from {@link backendPids}, taken once before both snapshots) adds the router's and closure's PostgreSQL backends;
 * they are also inside `postgres`, which is every PostgreSQL process on the machine.
 */
function cpuSnapshot(pids, backends = {}) {
  return {
    at: performance.now(),
    machine: machineTicks(),
    perProcess: {
      ...Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuTicksOf(pid)])),
      ...(process.env.DATABASE_URL ? { postgres: postgresTicks() } : {}),
    },
    backends: Object.fromEntries(
      Object.entries(backends).map(([name, list]) => [name, Object.fromEntries(list.map((pid) => [pid, cpuTicksOf(pid)]))]),
    ),
  };
}
/** Per process: cores used (1.0 = one core busy) between two snapshots; `others` is everything else on the machine. */
function cpuBetween(before, after) {
  const seconds = (after.at - before.at) / 1000;
  const cores = {};
  let ours = 0;
  for (const [name, ticks] of Object.entries(after.perProcess)) {
    const start = before.perProcess[name];
    if (ticks === null || start === null || start === undefined) continue;
    cores[name] = round((ticks - start) / clockTick / seconds, 2);
    ours += cores[name];
  }
  // A backend counts only while it lived through both snapshots (a pool may close an idle connection and open another).
  for (const [name, perPid] of Object.entries(after.backends ?? {})) {
    let ticks = 0;
    for (const [pid, end] of Object.entries(perPid)) {
      const start = before.backends?.[name]?.[pid];
      if (end !== null && start !== null && start !== undefined) ticks += end - start;
    }
    cores[name] = round(ticks / clockTick / seconds, 2);
  }
  const machineBusy = (after.machine.busy - before.machine.busy) / clockTick / seconds;
  return { ...cores, others: round(Math.max(0, machineBusy - ours), 2), machineBusy: round(machineBusy, 2) };
}

/** Least-squares slope of lag over time, in records per second. */
function slopeOf(samples, key) {
  if (samples.length < 3) return 0;
  const xs = samples.map((s) => s.t);
  const ys = samples.map((s) => s[key]);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

// ---------------------------------------------------------------------------------------------- setup

const infra = infraEnv();
const brokers = infra.KAFKA_BROKERS.split(",");
if (!serviceNames.every((name) => existsSync(join(root, "services", name, "dist/main.js")))) {
  log("dist/ missing: npx turbo run build");
  const build = spawnSync("npx", ["turbo", "run", "build", "--output-logs=errors-only"], { cwd: root, stdio: ["ignore", 2, 2] });
  if (build.status !== 0) throw new Error("build failed");
}

const runId = `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
const prefix = `bench-sys-${runId}.`;
const groups = { router: `${prefix}router`, closure: `${prefix}closure`, reader: `${prefix}reader`, sampler: `${prefix}sampler` };
const topics = {
  hotline: `${prefix}clueline.hotline.received.v1`,
  intake: `${prefix}clueline.intake.received.v1`,
  media: `${prefix}clueline.media.received.v1`,
  routed: `${prefix}clueline.clue.routed.v1`,
  feedback: `${prefix}clueline.clue.feedback.v1`,
  lifecycle: `${prefix}clueline.clue.lifecycle.v1`,
  perf: `${prefix}broker-perf`,
};
const workDir = mkdtempSync(join(tmpdir(), "clueline-bench-system-"));
// The services verify EdDSA tokens against this issuer's JWKS file; the bench alone holds the private key.
const issuer = createThrowawayIssuer({ issuer: "clueline-bench" });
const identityKey = randomBytes(32).toString("base64");

/** With DATABASE_URL, a fresh database on that server for this run (dropped at the end); else PGlite. */
let database = null;
if (process.env.DATABASE_URL) {
  const name = `clueline_bench_${runId}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  database = { name, url: url.toString() };
}

const ports = {};
for (const name of serviceNames) ports[name] = await freePort();
const { DATABASE_URL: _ignored, ...inherited } = process.env;
const serviceEnv = {
  ...inherited,
  ...infra,
  LOG_LEVEL: args["log-level"],
  KAFKAJS_NO_PARTITIONER_WARNING: "1",
  TOPIC_PREFIX: prefix,
  DIRECTORY_FILE: directoryFile,
  ...(args.partitions ? { KAFKA_PARTITIONS: args.partitions } : {}),
  S3_BUCKET: "clueline-bench",
  ...issuer.env,
  // A long run keeps one operator token: two hours, which the services are told to accept.
  AUTH_MAX_TOKEN_LIFETIME_SECONDS: "7200",
  IDENTITY_KEYS: `b1:${identityKey}`,
  IDENTITY_ACTIVE_KEY: "b1",
  IDENTITY_HASH_KEY: randomBytes(32).toString("base64"),
  MEDIA_WEBHOOK_SENDER_SECRETS: `bench:${randomBytes(32).toString("hex")}`,
  ROUTER_GROUP_ID: groups.router,
  ROUTER_CLASSIFICATION_GROUP_ID: `${groups.router}-classifications`,
  CONSUMER_GROUP: groups.closure,
  ...(database
    ? { DATABASE_URL: database.url }
    : args.pglite === "memory"
      ? { ROUTER_DATA_DIR: "memory://", PGLITE_DATA_DIR: "memory://" }
      : { ROUTER_DATA_DIR: join(workDir, "router-pglite"), PGLITE_DATA_DIR: join(workDir, "closure-ledger") }),
};

const children = {};
const profiled = args.profile ? args.profile.split(",") : [];
function launch(name) {
  // As scripts/start.mjs runs them: each with its old-space limit, plain node from dist/.
  const heap = ["hotline", "intake", "media"].includes(name) ? ["--max-old-space-size=128"] : [];
  if (Number(args["heap-mb"]) > 0 && (name === "router" || name === "closure")) {
    heap.push(`--max-old-space-size=${Number(args["heap-mb"])}`);
  }
  if (profiled.includes(name))
    heap.push("--cpu-prof", `--cpu-prof-dir=${join(workDir, "profiles")}`, `--cpu-prof-name=${name}.cpuprofile`);
  const out = openSync(join(workDir, `${name}.log`), "a");
  const child = spawn(process.execPath, [...heap, join(root, "services", name, "dist/main.js")], {
    cwd: root,
    env: { ...serviceEnv, PORT: String(ports[name]) },
    stdio: ["ignore", out, out],
  });
  closeSync(out);
  children[name] = child;
}
function logTail(name, lines = 15) {
  try {
    return readFileSync(join(workDir, `${name}.log`), "utf8")
      .trim()
      .split("\n")
      .slice(-lines)
      .join("\n");
  } catch {
    return "(no log)";
  }
}
/**
 * Services started together race to create the topics they share (edges and router the channel topics, router and
 * closure the routed topic); a loser may exit at start with UNKNOWN_TOPIC_OR_PARTITION from `ensureTopics`. Such a
 * service is started again (at most twice) and the restart is counted in the result.
 */
const startupRestarts = {};
async function ready(name) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (children[name].exitCode !== null) {
      if ((startupRestarts[name] ?? 0) >= 2) throw new Error(`${name} exited with ${children[name].exitCode}:\n${logTail(name)}`);
      startupRestarts[name] = (startupRestarts[name] ?? 0) + 1;
      log(
        `${name} exited during start (${logTail(name, 40).match(/KafkaJS\w*Error: [^\n]*/)?.[0] ?? "see its log"}); starting it again`,
      );
      launch(name);
    }
    try {
      if ((await fetch(`http://127.0.0.1:${ports[name]}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${name} not ready in 120 s:\n${logTail(name)}`);
}
async function stopAll() {
  await Promise.all(
    Object.values(children).map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    }),
  );
}

const kafka = new Kafka({ clientId: "bench-system", brokers, logLevel: logLevel.NOTHING });
const admin = kafka.admin();
let reader = null;
let sampler = null;
let failed = false;

async function cleanup() {
  await reader?.disconnect().catch(() => {});
  await sampler?.disconnect().catch(() => {});
  await stopAll();
  try {
    const mine = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (mine.length > 0) await admin.deleteTopics({ topics: mine, timeout: 30_000 });
    const existing = new Set((await admin.listGroups()).groups.map((group) => group.groupId));
    const ours = Object.values(groups).filter((group) => existing.has(group));
    if (ours.length > 0) await admin.deleteGroups(ours).catch(() => {});
    log(`deleted ${mine.length} topics under ${prefix} and ${ours.length} consumer groups`);
  } catch (error) {
    log(`cleanup of topics/groups failed: ${error.message}`);
  }
  await admin.disconnect().catch(() => {});
  if (database) await adminQuery(`drop database if exists ${database.name} with (force)`);
  if (failed || profiled.length > 0) log(`service logs${profiled.length > 0 ? " and CPU profiles" : ""} kept in ${workDir}`);
  else rmSync(workDir, { recursive: true, force: true });
}
process.once("SIGINT", () => {
  failed = true;
  cleanup().finally(() => process.exit(130));
});

// ---------------------------------------------------------------------------------------------- the run

/** complaint id → ledger time (ms), from clue.opened / clue.supplemented. */
const ledgerAt = new Map();
/** The warm-up's 10 s windows: what was accepted and each process's CPU, to show the services had settled. */
const warmupWindows = [];
const lagTopics = { router: [topics.hotline, topics.intake, topics.media], closure: [topics.routed, topics.feedback] };

async function lagOf(groupId, groupTopics) {
  const [committed, ...ends] = await Promise.all([
    admin.fetchOffsets({ groupId, topics: groupTopics }),
    ...groupTopics.map((topic) => admin.fetchTopicOffsets(topic)),
  ]);
  let lag = 0;
  let consumed = 0;
  for (const [index, topic] of groupTopics.entries()) {
    const done = committed.find((entry) => entry.topic === topic)?.partitions ?? [];
    for (const end of ends[index]) {
      const offset = Math.max(Number(done.find((p) => p.partition === end.partition)?.offset ?? -1), Number(end.low));
      lag += Number(end.high) - offset;
      consumed += offset;
    }
  }
  return { lag, consumed };
}
/** Both groups' lag, and how many records each has committed in all (the difference over a step is its throughput). */
async function lags() {
  const [router, closure] = await Promise.all([lagOf(groups.router, lagTopics.router), lagOf(groups.closure, lagTopics.closure)]);
  return { router: router.lag, closure: closure.lag, consumed: { router: router.consumed, closure: closure.consumed } };
}

const PHASES = 10;
/**
 * Load into one edge at `rate` requests/s for `seconds`. autocannon's `overallRate` gives each connection a quota
 * per second that it spends as fast as answers allow when its second starts, and all connections of one run start
 * their seconds together; so the load is split over PHASES autocannon runs started 1/PHASES s apart, which spreads
 * the bursts over the second (each connection's quota is 10/s). Two latencies per request: raw, from send to answer;
 * and open-loop, from min(send, the request's slot in an even schedule at `rate`) to answer, so a request sent late
 * because earlier answers were slow counts from when it should have been sent (coordinated omission). autocannon's
 * own correction is not used: it takes ⌈1/rate⌉ = 1 ms as the expected interval, and its histograms do not merge.
 */
async function load({ name, path, rate, seconds, body, authorization, tally }) {
  const start = performance.now();
  let sequence = 0;
  const runs = [];
  for (let phase = 0; phase < PHASES; phase++) {
    const share = Math.floor(rate / PHASES) + (phase < rate % PHASES ? 1 : 0);
    if (share === 0) continue;
    await sleep(Math.max(0, start + (phase * 1000) / PHASES - performance.now()));
    const run = autocannon({
      url: `http://127.0.0.1:${ports[name]}${path}`,
      method: "POST",
      headers: { "content-type": "application/json", authorization },
      connections: Math.ceil(share / 10),
      duration: seconds,
      overallRate: share,
      timeout: 10,
      requests: [
        {
          setupRequest(request, context) {
            context.sentAt = performance.now();
            context.slot = start + (sequence++ * 1000) / rate;
            tally.sent++;
            return { ...request, body: body() };
          },
          onResponse(status, responseBody, context) {
            const now = performance.now();
            if (context.sentAt !== undefined) {
              tally.raw.push(now - context.sentAt);
              tally.corrected.push(now - Math.min(context.sentAt, context.slot));
            }
            if (status !== 202) {
              tally.non202++;
              return;
            }
            const answer = JSON.parse(responseBody);
            tally.accepted.push({ id: answer.complaintId, t202: Date.now(), receivedAt: Date.parse(answer.receivedAt) });
          },
        },
      ],
    });
    runs.push(run);
  }
  const results = await Promise.all(runs);
  tally.errors += results.reduce((sum, result) => sum + result.errors, 0);
}

const operatorAuth = `Bearer ${await issuer.issue("bench-operator", ["complaint:write"], 7200)}`;
/** Half the complaints to the hotline, half to intake, at once; returns what happened to every request. */
async function loadBoth(rate, seconds) {
  const tally = { sent: 0, non202: 0, errors: 0, accepted: [], raw: [], corrected: [] };
  const common = { seconds, authorization: operatorAuth, tally };
  await Promise.all([
    load({ ...common, name: "hotline", path: "/v1/calls", rate: Math.ceil(rate / 2), body: callBody }),
    load({ ...common, name: "intake", path: "/v1/reports", rate: Math.floor(rate / 2), body: reportBody }),
  ]);
  return tally;
}

async function brokerCeiling(recordSize) {
  await admin.createTopics({ topics: [{ topic: topics.perf, numPartitions: partitions }], waitForLeaders: true });
  const records = Number(args["perf-records"]);
  const perfArgs = ["kafka-producer-perf-test", "--topic", topics.perf, "--num-records", String(records)];
  perfArgs.push("--record-size", String(recordSize), "--throughput", "-1");
  perfArgs.push("--producer-props", `bootstrap.servers=${brokers.join(",")}`, "acks=all");
  const before = performance.now();
  const output = await new Promise((resolve) => {
    const child = spawn("bash", [join(root, "infra/kafka-tool.sh"), ...perfArgs], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let text = "";
    child.stdout.on("data", (chunk) => {
      text += chunk;
    });
    child.stderr.on("data", (chunk) => {
      text += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("exit", () => {
      clearTimeout(timer);
      resolve(text);
    });
  });
  const line = output.split("\n").findLast((l) => /records sent,.*records\/sec/.test(l));
  if (!line) {
    log(`producer perf test gave no summary:\n${output.slice(-800)}`);
    return null;
  }
  const number = (pattern) => Number(pattern.exec(line)?.[1]);
  return {
    tool: "kafka-producer-perf-test (acks=all, --throughput -1)",
    records,
    recordSize,
    partitions,
    recordsPerSecond: Math.round(number(/([\d.]+) records\/sec/)),
    mbPerSecond: number(/\(([\d.]+) MB\/sec\)/),
    avgLatencyMs: number(/([\d.]+) ms avg latency/),
    p99LatencyMs: number(/([\d.]+) ms 99th/),
    wallSeconds: round((performance.now() - before) / 1000, 1),
    summary: line.trim(),
  };
}

async function runStep(rate) {
  const samples = [];
  const stepStart = performance.now();
  let sampling = false;
  const ticker = setInterval(async () => {
    if (sampling) return;
    sampling = true;
    try {
      samples.push({ t: (performance.now() - stepStart) / 1000, ...(await lags()) });
    } catch {
      // a slow admin call skips a sample
    } finally {
      sampling = false;
    }
  }, 1000);
  const first = await lags();
  const { result: tally, cpu, server, startedAt: loadStart } = await withCpu(() => loadBoth(rate, stepSeconds));
  clearInterval(ticker);
  const load1 = loadavg()[0];
  const end = await lags();
  const loadSeconds = (performance.now() - loadStart) / 1000;
  samples.push({ t: (performance.now() - stepStart) / 1000, ...end });
  /** Records each stage got through while the load ran: the router's channel records, closure's decisions. */
  const consumed = {
    router: end.consumed.router - first.consumed.router,
    closure: end.consumed.closure - first.consumed.closure,
  };
  const processed = {
    router: Math.round(consumed.router / loadSeconds),
    closure: Math.round(consumed.closure / loadSeconds),
  };
  const { accepted } = tally;

  // Drain: until both groups have no lag and every accepted complaint has its ledger row, or the drain time is up.
  const drainStart = performance.now();
  let drained = false;
  while (performance.now() - drainStart < drainSeconds * 1000) {
    const now = await lags();
    if (now.router === 0 && now.closure === 0 && accepted.every((a) => ledgerAt.has(a.id))) {
      drained = true;
      break;
    }
    await sleep(200);
  }
  const drainEnd = Date.now();
  const drainMs = drained ? Math.round(performance.now() - drainStart) : null;

  const missing = accepted.filter((a) => !ledgerAt.has(a.id)).length;
  const from202 = accepted.map((a) => (ledgerAt.get(a.id) ?? drainEnd) - a.t202).sort((a, b) => a - b);
  const fromReceived = accepted.map((a) => (ledgerAt.get(a.id) ?? drainEnd) - a.receivedAt).sort((a, b) => a - b);
  const raw = tally.raw.sort((a, b) => a - b);
  const corrected = tally.corrected.sort((a, b) => a - b);
  const ok = accepted.length;
  const errors = tally.non202 + tally.errors;
  const lagOfGroup = (key) => {
    const slope = slopeOf(samples, key);
    return {
      end: end[key],
      max: Math.max(...samples.map((s) => s[key])),
      slopePerSecond: Math.round(slope),
      growing: slope > 0.03 * rate && end[key] > 0.5 * rate,
    };
  };
  const step = {
    offeredPerSecond: rate,
    sentPerSecond: Math.round(tally.sent / stepSeconds),
    acceptedPerSecond: Math.round(ok / stepSeconds),
    errors,
    http: {
      p50Ms: round(percentile(corrected, 50), 1),
      p99Ms: round(percentile(corrected, 99), 1),
      raw: { p50Ms: round(percentile(raw, 50), 1), p99Ms: round(percentile(raw, 99), 1), maxMs: round(raw.at(-1), 1) },
    },
    lag: {
      router: lagOfGroup("router"),
      closure: lagOfGroup("closure"),
      samples: samples.map((sample) => [round(sample.t, 1), sample.router, sample.closure]),
    },
    e2e: {
      complaints: accepted.length,
      missingAfterDrain: missing,
      p99IsLowerBound: missing > accepted.length / 100,
      from202: { p50Ms: percentile(from202, 50), p99Ms: percentile(from202, 99), minMs: from202[0] ?? null },
      fromReceived: { p50Ms: percentile(fromReceived, 50), p99Ms: percentile(fromReceived, 99) },
      drainMs,
    },
    cpuCores: cpu,
    // Per decision the ledger took in while the load ran: when the pipeline falls behind, the WAL of what it has
    // yet to do is not in the step, so a division by the complaints accepted would flatter it.
    postgres: server && {
      ...server,
      walBytesPerDecision: Math.round(server.wal_bytes / Math.max(1, consumed.closure)),
      walRecordsPerDecision: round(server.wal_records / Math.max(1, consumed.closure), 1),
    },
    processedPerSecond: processed,
    // CPU per complaint each process handled: the edges and the bench per accepted complaint (hotline and intake
    // each see half), router and closure (and their PostgreSQL backends) per record they got through, the broker
    // and PostgreSQL as a whole per accepted complaint.
    cpuMsPerComplaint: Object.fromEntries(
      Object.entries(cpu)
        .filter(([name]) => serviceNames.includes(name) || ["kafka", "bench"].includes(name) || name.startsWith("postgres"))
        .map(([name, cores]) => {
          const service = name.replace(/^postgres:/, "");
          const handled = service === "router" || service === "closure" ? processed[service] : ok / stepSeconds;
          const busy = /** @type {number} */ (cores);
          return [name, round((busy * 1000) / Math.max(1, handled), 2)];
        }),
    ),
    loadAverage1m: round(load1, 2),
  };
  step.sustained =
    ok >= 0.97 * rate * stepSeconds &&
    errors <= 0.005 * tally.sent &&
    !step.lag.router.growing &&
    !step.lag.closure.growing &&
    !step.e2e.p99IsLowerBound &&
    step.e2e.from202.p99Ms !== null &&
    step.e2e.from202.p99Ms < 1000;
  return step;
}

const pids = {};
/** @type {any} */
let output = null;
try {
  await admin.connect();
  log(`starting the five services from dist/ on prefix ${prefix} (${database ? "PostgreSQL" : `PGlite ${args.pglite}`})`);
  for (const name of serviceNames) launch(name);
  await Promise.all(serviceNames.map(ready));
  for (const name of serviceNames) pids[name] = children[name].pid;
  pids.kafka = pidFile("kafka");
  pids.s3proxy = pidFile("s3proxy");
  pids.bench = process.pid;
  for (const [name, pid] of Object.entries(pids)) if (pid === null) delete pids[name];
  log(`ready: ${serviceNames.map((name) => `${name}:${ports[name]}`).join(" ")}`);

  reader = kafka.consumer({ groupId: groups.reader, maxWaitTimeInMs: 100 });
  await reader.connect();
  await reader.subscribe({ topic: topics.lifecycle, fromBeginning: true });
  await reader.run({
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) {
        const value = message.value;
        if (!value || (value.indexOf("clue.opened") < 0 && value.indexOf("clue.supplemented") < 0)) continue;
        const event = JSON.parse(value.toString());
        if (event.event === "clue.opened" || event.event === "clue.supplemented")
          ledgerAt.set(event.complaintId, Date.parse(event.occurredAt));
      }
    },
  });
  const sizes = [];
  sampler = kafka.consumer({ groupId: groups.sampler, maxWaitTimeInMs: 100 });
  await sampler.connect();
  await sampler.subscribe({ topic: topics.hotline, fromBeginning: true });
  await sampler.run({
    eachMessage: async ({ message }) => {
      if (sizes.length >= 500) return;
      const headers = Object.entries(message.headers ?? {}).reduce(
        (sum, [key, value]) => sum + key.length + (value?.length ?? 0),
        0,
      );
      sizes.push({
        value: message.value?.length ?? 0,
        total: (message.value?.length ?? 0) + (message.key?.length ?? 0) + headers,
      });
    },
  });

  const warmupRate = Number(args["warmup-rate"]);
  log(`warm-up: ${args.warmup} s at ${warmupRate} complaints/s (JIT, connections, producer metadata, ledger caches)`);
  const warm = [];
  for (let left = Number(args.warmup); left > 0; left -= 10) {
    const seconds = Math.min(10, left);
    const { result: window, cpu: cores } = await withCpu(() => loadBoth(warmupRate, seconds));
    warm.push(...window.accepted);
    warmupWindows.push({ seconds, accepted: window.accepted.length, cpuCores: cores });
    log(`warm-up: ${window.accepted.length} accepted in ${seconds} s; cpu cores ${JSON.stringify(cores)}`);
  }
  for (
    let wait = 0;
    wait < 100 && (sizes.length < Math.min(500, warm.length / 2) || !warm.every((a) => ledgerAt.has(a.id)));
    wait++
  ) {
    await sleep(200);
  }
  await sampler.disconnect();
  sampler = null;
  const mean = (key) => Math.round(sizes.reduce((sum, s) => sum + s[key], 0) / Math.max(1, sizes.length));
  const hotlineRecord = { sampled: sizes.length, meanValueBytes: mean("value"), meanBytesWithKeyAndHeaders: mean("total") };
  log(
    `warm-up: ${warm.length} accepted, ${warm.filter((a) => ledgerAt.has(a.id)).length} in the ledger; hotline records ` +
      `${hotlineRecord.meanValueBytes} B value, ${hotlineRecord.meanBytesWithKeyAndHeaders} B with key and headers`,
  );

  log(
    `broker ceiling: kafka-producer-perf-test, ${args["perf-records"]} records of ${hotlineRecord.meanBytesWithKeyAndHeaders} B, acks=all`,
  );
  const broker = await brokerCeiling(hotlineRecord.meanBytesWithKeyAndHeaders);
  await admin.deleteTopics({ topics: [topics.perf] }).catch(() => {});
  if (broker)
    log(`broker ceiling: ${broker.recordsPerSecond} records/s (${broker.mbPerSecond} MB/s), p99 ${broker.p99LatencyMs} ms`);

  const steps = [];
  for (const rate of rates) {
    if ((Date.now() - startedAt) / 1000 + stepSeconds + drainSeconds > Number(args.budget)) {
      log(`time budget reached; not trying ${rate}/s`);
      break;
    }
    log(`step ${rate} complaints/s for ${stepSeconds} s …`);
    const step = await runStep(rate);
    steps.push(step);
    const e = step.e2e;
    log(
      `  ${step.sustained ? "SUSTAINED" : "not sustained"}: accepted ${step.acceptedPerSecond}/s (sent ${step.sentPerSecond}/s, ${step.errors} errors), ` +
        `http p50/p99 ${step.http.p50Ms}/${step.http.p99Ms} ms, lag router ${step.lag.router.end} (${step.lag.router.slopePerSecond}/s) ` +
        `closure ${step.lag.closure.end} (${step.lag.closure.slopePerSecond}/s), processed/s ${JSON.stringify(step.processedPerSecond)}, e2e 202→ledger p50/p99 ${e.from202.p50Ms}/${e.from202.p99Ms} ms` +
        `${e.p99IsLowerBound ? " (lower bound)" : ""}, missing ${e.missingAfterDrain}, drain ${e.drainMs ?? "> limit"} ms, load ${step.loadAverage1m}`,
    );
    log(`  cpu cores: ${JSON.stringify(step.cpuCores)}`);
    if (step.postgres) log(`  postgres: ${JSON.stringify(step.postgres)}`);
    if (steps.filter((s) => !s.sustained).length > Number(args["past-failure"])) break;
  }

  const memory = Object.fromEntries(
    Object.entries(pids)
      .map(([name, pid]) => [name, memoryOf(pid)])
      .filter(([, value]) => value !== null),
  );
  const offsets = await Promise.all(
    (await admin.listTopics()).filter((topic) => topic.startsWith(prefix)).map((topic) => admin.fetchTopicOffsets(topic)),
  );
  const written = offsets.flat().reduce((sum, p) => sum + Number(p.high), 0);
  const acceptedTotal = steps.reduce((sum, step) => sum + step.e2e.complaints, warm.length);
  // The highest rate sustained before the first failure: a later step passing by luck does not count.
  const firstFailedIndex = steps.findIndex((step) => !step.sustained);
  const best = steps.slice(0, firstFailedIndex < 0 ? steps.length : firstFailedIndex).at(-1) ?? null;
  const firstFailed = steps.find((step) => !step.sustained) ?? null;
  const firstGrowing = (key) => steps.find((step) => step.lag[key].growing)?.offeredPerSecond ?? null;

  output = {
    bench: "system",
    at: new Date().toISOString(),
    machine: {
      cores: cpus().length,
      cpu: cpus()[0]?.model,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      loadAverageAtStart: null,
    },
    setup: {
      services: `dist/main.js ×5 (edges with --max-old-space-size=128${Number(args["heap-mb"]) > 0 ? `, router and closure with ${args["heap-mb"]}` : ""})`,
      ledger: database ? "PostgreSQL (fresh database)" : `PGlite (${args.pglite})`,
      partitions,
      logLevel: args["log-level"],
      stepSeconds,
      drainSeconds,
      startupRestarts,
      load: "autocannon overallRate, half to POST /v1/calls, half to POST /v1/reports",
    },
    warmup: { ratePerSecond: warmupRate, windows: warmupWindows },
    hotlineRecord,
    broker,
    highestSustainedPerSecond: best?.offeredPerSecond ?? 0,
    ratioToBroker: broker ? round((best?.offeredPerSecond ?? 0) / broker.recordsPerSecond, 4) : null,
    /** The most routing decisions per second closure applied to the ledger in any step, sustained or not. */
    ledgerThroughputPerSecond: Math.max(0, ...steps.map((step) => step.processedPerSecond.closure)),
    targetMet: (best?.offeredPerSecond ?? 0) >= 2000,
    firstLagGrowth: { router: firstGrowing("router"), closure: firstGrowing("closure") },
    ledgerThroughputRatioToBroker: null,
    cpuBudget: cpuBudgetOf(
      steps.reduce(
        (top, step) => (step.processedPerSecond.closure > (top?.processedPerSecond.closure ?? -1) ? step : top),
        /** @type {any} */ (null),
      ),
    ),
    firstFailedStep: firstFailed?.offeredPerSecond ?? null,
    recordsWrittenPerComplaint: round(written / Math.max(1, acceptedTotal), 2),
    peakMemoryMb: memory,
    steps,
    runSeconds: null,
  };
} catch (error) {
  failed = true;
  log(`failed: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}

/**
 * CPU cost per complaint in the step where closure got the most done (per-record costs fall as batches grow: at low
 * rates the fixed costs of polling loops weigh on every record), and what it implies: if these two cores ran nothing else, CPU alone would
 * cap the pipeline at cores × 1000 / (ms per complaint summed over services, broker and PostgreSQL when it is the
 * ledger); closure, one event loop, cannot use more than one core, so it caps at 1000 / its own ms per complaint.
 */
function cpuBudgetOf(step) {
  if (!step) return null;
  const perComplaint = step.cpuMsPerComplaint;
  const pipelineMs = ["hotline", "intake", "media", "router", "closure", "kafka", "postgres"].reduce(
    (sum, name) => sum + (perComplaint[name] ?? 0),
    0,
  );
  return {
    atOfferedPerSecond: step.offeredPerSecond,
    msPerComplaint: perComplaint,
    pipelineMsPerComplaint: round(pipelineMs, 2),
    idleMachineCeilingPerSecond: pipelineMs > 0 ? Math.round((cpus().length * 1000) / pipelineMs) : null,
    closureOneCoreCeilingPerSecond: perComplaint.closure ? Math.round(1000 / perComplaint.closure) : null,
    // The closure applies a batch, then waits for its transaction: its event loop and its backends take turns, so
    // their costs add up on its one path.
    closureWithBackendsCeilingPerSecond:
      perComplaint.closure && perComplaint["postgres:closure"] !== undefined
        ? Math.round(1000 / (perComplaint.closure + perComplaint["postgres:closure"]))
        : null,
  };
}

function markdown(result) {
  const cpuColumns = [...new Set(result.steps.flatMap((step) => Object.keys(step.cpuCores)))];
  const lines = [
    `# System bench — ${result.at}`,
    "",
    `${result.machine.cores} cores (${result.machine.cpu}), shared with other work: load average ${result.machine.loadAverageAtStart} at start. ` +
      `Ledger ${result.setup.ledger}, ${result.setup.partitions} partitions, ${result.setup.stepSeconds} s per step.`,
    "",
    "| offered/s | accepted/s | router / closure records/s | HTTP p50 / p99 ms (open-loop) | router lag end (slope/s) | closure lag end (slope/s) | e2e 202→ledger p50 / p99 ms | received→ledger p99 ms | load 1m | sustained |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const s of result.steps) {
    const e2e = `${s.e2e.from202.p50Ms} / ${s.e2e.p99IsLowerBound ? "≥ " : ""}${s.e2e.from202.p99Ms}`;
    lines.push(
      `| ${s.offeredPerSecond} | ${s.acceptedPerSecond} | ${s.processedPerSecond.router} / ${s.processedPerSecond.closure} | ${s.http.p50Ms} / ${s.http.p99Ms} | ${s.lag.router.end} (${s.lag.router.slopePerSecond})` +
        `${s.lag.router.growing ? " ↑" : ""} | ${s.lag.closure.end} (${s.lag.closure.slopePerSecond})${s.lag.closure.growing ? " ↑" : ""} | ${e2e} | ` +
        `${s.e2e.fromReceived.p99Ms} | ${s.loadAverage1m} | ${s.sustained ? "yes" : "no"} |`,
    );
  }
  const b = result.broker;
  lines.push(
    "",
    `**Highest sustained: ${result.highestSustainedPerSecond} complaints/s** (target 2,000, e2e p99 < 1 s). ` +
      (b
        ? `Broker ceiling (${b.tool}, ${b.recordSize} B records): ${b.recordsPerSecond} records/s — ratio ${result.ratioToBroker}. ` +
          `Most decisions/s into the ledger in any step: ${result.ledgerThroughputPerSecond} (ratio ${result.ledgerThroughputRatioToBroker}). `
        : "") +
      `Each complaint writes ${result.recordsWrittenPerComplaint} Kafka records.`,
    "",
    `Peak RSS MB: ${Object.entries(result.peakMemoryMb)
      .map(([name, m]) => `${name} ${m.peakRssMb}`)
      .join(", ")}.`,
    "",
    "CPU (cores) per process during each step:",
    "",
    `| offered/s | ${cpuColumns.join(" | ")} |`,
    `|---|${cpuColumns.map(() => "---").join("|")}|`,
    // By column name: the PostgreSQL backends' entries come in whatever order pg_stat_activity listed them.
    ...result.steps.map((s) => `| ${s.offeredPerSecond} | ${cpuColumns.map((name) => s.cpuCores[name] ?? "").join(" | ")} |`),
    "",
    ...(result.cpuBudget
      ? [
          `CPU ms per complaint at ${result.cpuBudget.atOfferedPerSecond}/s (edges, broker and PostgreSQL per accepted complaint, router and closure and their PostgreSQL backends per record they handled): ${Object.entries(
            result.cpuBudget.msPerComplaint,
          )
            .map(([name, ms]) => `${name} ${ms}`)
            .join(", ")}; pipeline ${result.cpuBudget.pipelineMsPerComplaint} ms → at most ` +
            `~${result.cpuBudget.idleMachineCeilingPerSecond}/s on these cores if idle; closure alone (one core) ~${result.cpuBudget.closureOneCoreCeilingPerSecond}/s` +
            (result.cpuBudget.closureWithBackendsCeilingPerSecond
              ? `, with its PostgreSQL backends on one path ~${result.cpuBudget.closureWithBackendsCeilingPerSecond}/s.`
              : "."),
          "",
        ]
      : []),
    ...(result.steps.some((s) => s.postgres)
      ? [
          "PostgreSQL during each step (the whole server; reads and hits are this run's database):",
          "",
          "| offered/s | WAL B / decision into the ledger | WAL records / decision | full-page images | checkpoints | buffers written by backends | blocks read / hit |",
          "|---|---|---|---|---|---|---|",
          ...result.steps
            .filter((s) => s.postgres)
            .map(
              ({ offeredPerSecond, postgres: p }) =>
                `| ${offeredPerSecond} | ${p.walBytesPerDecision} | ${p.walRecordsPerDecision} | ${p.wal_fpi} | ${p.checkpoints} | ${p.buffers_backend} | ${p.blks_read} / ${p.blks_hit} |`,
            ),
          "",
        ]
      : []),
    `Run time ${result.runSeconds} s.`,
  );
  return `${lines.join("\n")}\n`;
}

if (output) {
  output.runSeconds = Math.round((Date.now() - startedAt) / 1000);
  if (output.broker)
    output.ledgerThroughputRatioToBroker = round(output.ledgerThroughputPerSecond / output.broker.recordsPerSecond, 4);
  output.machine.loadAverageAtStart = loadAverageAtStart;
  mkdirSync(join(root, "bench/results"), { recursive: true });
  writeFileSync(join(root, "bench/results/system.json"), `${JSON.stringify(output, null, 2)}\n`);
  writeFileSync(join(root, "bench/results/system.md"), markdown(output));
  process.stdout.write(`${JSON.stringify(output)}\n`);
  log(
    `highest sustained ${output.highestSustainedPerSecond}/s; wrote bench/results/system.json and system.md (${output.runSeconds} s)`,
  );
}
// kafkajs and autocannon may leave timers behind; bench/run.mjs waits for this process to end.
process.exit(process.exitCode ?? 0);
