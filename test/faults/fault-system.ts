import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultDirectoryPath } from "@clueline/directory";
import type { TestTokens } from "@clueline/kit/test-tokens";
import { freePort, type InfraInfo, uniqueName } from "@clueline/testing";
import { createSystemTokens } from "../e2e/system-tokens.js";
import { type ServiceName, serviceNames } from "../e2e/system-under-test.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");

export interface FaultSystem {
  urls: Record<ServiceName, string>;
  env: Record<string, string>;
  /** The issuer the services trust (through a JWKS file); mints the test's tokens. */
  tokens: TestTokens;
  topicPrefix: string;
  /** Services that exited without the test asking: a crash the faults provoked. */
  unexpectedExits: string[];
  /** The last lines a service wrote, for a failure message. */
  tail(name: ServiceName, lines?: number): string;
  kill(name: ServiceName, signal?: NodeJS.Signals): Promise<void>;
  start(name: ServiceName): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The five services as real processes, like test/e2e's startSystem, with two additions a fault test needs:
 * per-service environment overrides (a durable ledger and router state instead of in-memory ones) and `kill`
 * without an automatic restart, so the test decides when a killed service comes back.
 *
 * @example
 * const system = await startFaultSystem({ infra, overrides: { closure: { DATABASE_URL } } });
 * await system.kill("router", "SIGKILL"); await system.start("router");
 */
export async function startFaultSystem(options: {
  infra: InfraInfo;
  /** Topic prefix; a fresh one when not given. */
  topicPrefix?: string;
  /** When given, every line each service writes is also appended to `<logDir>/<service>.log`. */
  logDir?: string;
  shared?: Record<string, string>;
  overrides?: Partial<Record<ServiceName, Record<string, string>>>;
}): Promise<FaultSystem> {
  const topicPrefix = options.topicPrefix ?? `${uniqueName("faults")}.`;
  const ports = Object.fromEntries(await Promise.all(serviceNames.map(async (name) => [name, await freePort()]))) as Record<
    ServiceName,
    number
  >;
  const identityKey = randomBytes(32).toString("base64");
  const issuer = createSystemTokens();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    LOG_LEVEL: "warn",
    KAFKA_BROKERS: options.infra.kafkaBrokers.join(","),
    KAFKA_PARTITIONS: "3",
    KAFKAJS_NO_PARTITIONER_WARNING: "1",
    TOPIC_PREFIX: topicPrefix,
    S3_ENDPOINT: options.infra.s3.endpoint,
    S3_REGION: options.infra.s3.region,
    S3_ACCESS_KEY_ID: options.infra.s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: options.infra.s3.secretAccessKey,
    S3_FORCE_PATH_STYLE: String(options.infra.s3.forcePathStyle),
    S3_BUCKET: options.infra.s3.bucket,
    ...issuer.env,
    IDENTITY_KEYS: `faults:${identityKey}`,
    IDENTITY_ACTIVE_KEY: "faults",
    IDENTITY_HASH_KEY: randomBytes(32).toString("base64"),
    MEDIA_WEBHOOK_SENDER_SECRETS: `faults-monitor:${randomBytes(32).toString("hex")}`,
    // One directory for the router, the edges (which check categoryHints against its taxonomy) and the closure
    // (leaders and the supervision answer period).
    DIRECTORY_FILE: defaultDirectoryPath,
    ROUTER_DATA_DIR: "memory://",
    ROUTER_GROUP_ID: `${topicPrefix}router`,
    ROUTER_CLASSIFICATION_GROUP_ID: `${topicPrefix}router-classifications`,
    PGLITE_DATA_DIR: "memory://",
    CONSUMER_GROUP: `${topicPrefix}closure`,
    SCAN_INTERVAL_MS: "1000",
    RELAY_INTERVAL_MS: "100",
    SSE_POLL_MS: "200",
    ...options.shared,
  };
  const output = new Map<ServiceName, string[]>(serviceNames.map((name) => [name, []]));
  const children = new Map<ServiceName, ChildProcess>();
  const unexpectedExits: string[] = [];
  const tail = (name: ServiceName, lines = 20) => (output.get(name) ?? []).slice(-lines).join("\n");

  function launch(name: ServiceName): void {
    const child = spawn(
      process.execPath,
      ["--conditions=source", "--import", "tsx", join(root, "services", name, "src/main.ts")],
      { cwd: root, env: { ...env, ...options.overrides?.[name], PORT: String(ports[name]) }, stdio: ["ignore", "pipe", "pipe"] },
    );
    const lines = output.get(name) ?? [];
    const collect = (chunk: Buffer) => {
      if (options.logDir) appendFileSync(join(options.logDir, `${name}.log`), chunk);
      lines.push(...chunk.toString().split("\n").filter(Boolean));
      // Bounded: only the tail is ever shown.
      if (lines.length > 2_000) lines.splice(0, lines.length - 1_000);
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    child.once("exit", (code, signal) => {
      if (children.get(name) === child) unexpectedExits.push(`${name} exited (${signal ?? code}):\n${tail(name)}`);
    });
    children.set(name, child);
    // Should the test process die first, its services must not outlive it.
    process.once("exit", () => child.kill("SIGKILL"));
  }

  async function ready(name: ServiceName): Promise<void> {
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const child = children.get(name);
      if (!child || child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited:\n${tail(name)}`);
      const answered = await fetch(`http://127.0.0.1:${ports[name]}/readyz`).catch(() => undefined);
      if (answered?.ok) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`${name} not ready in 90 s:\n${tail(name)}`);
  }

  async function kill(name: ServiceName, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const child = children.get(name);
    children.delete(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill(signal);
    await exited;
  }

  if (options.logDir) mkdirSync(options.logDir, { recursive: true });
  for (const name of serviceNames) launch(name);
  await Promise.all(serviceNames.map(ready));
  return {
    urls: Object.fromEntries(serviceNames.map((name) => [name, `http://127.0.0.1:${ports[name]}`])) as Record<
      ServiceName,
      string
    >,
    env,
    tokens: issuer.tokens,
    topicPrefix,
    unexpectedExits,
    tail,
    kill,
    async start(name) {
      launch(name);
      await ready(name);
    },
    async stop() {
      for (const name of [...serviceNames].reverse()) await kill(name);
    },
  };
}
