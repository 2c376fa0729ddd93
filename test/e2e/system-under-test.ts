import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultDirectoryPath } from "@clueline/directory";
import type { TestTokens } from "@clueline/kit/test-tokens";
import { freePort, type InfraInfo, uniqueName } from "@clueline/testing";
import { createSystemTokens } from "./system-tokens.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
export const serviceNames = ["hotline", "intake", "media", "router", "closure"] as const;
export type ServiceName = (typeof serviceNames)[number];

export interface RunningSystem {
  urls: Record<ServiceName, string>;
  env: Record<string, string>;
  /** The issuer the services trust (through a JWKS file); mints the test's tokens. */
  tokens: TestTokens;
  topicPrefix: string;
  /** Every line every service wrote, for the identity sweep. */
  output: string[];
  stop(): Promise<void>;
  restart(name: ServiceName, signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts the five services as real processes (their own main.ts, through the tsx loader) on a fresh topic
 * prefix, with fresh secrets, a throwaway token issuer and in-memory PGlite ledgers, and waits until each answers /readyz.
 */
export async function startSystem(
  infra: InfraInfo,
  options: {
    /** Keep the router's and the closure's PGlite databases here (`router/`, `closure/`), for a sweep after the run. */
    dataDir?: string;
    /** Variables set for every service on top of the defaults (e.g. the closure's DEADLINE_SCAN_AHEAD_MS). */
    env?: Record<string, string>;
    /** How long each service (and each restart) may take to answer /readyz; 90 s unless told. */
    readyTimeoutMs?: number;
  } = {},
): Promise<RunningSystem> {
  const topicPrefix = `${uniqueName("e2e")}.`;
  // Ports the OS reports free now: fixed ones collided with connections' ephemeral ports (EADDRINUSE in CI).
  const ports = Object.fromEntries(
    await Promise.all(serviceNames.map(async (name) => [name, await freePort()] as const)),
  ) as Record<ServiceName, number>;
  const identityKey = randomBytes(32).toString("base64");
  const issuer = createSystemTokens();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    LOG_LEVEL: "info",
    KAFKA_BROKERS: infra.kafkaBrokers.join(","),
    KAFKA_PARTITIONS: "3",
    TOPIC_PREFIX: topicPrefix,
    S3_ENDPOINT: infra.s3.endpoint,
    S3_REGION: infra.s3.region,
    S3_ACCESS_KEY_ID: infra.s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: infra.s3.secretAccessKey,
    S3_FORCE_PATH_STYLE: String(infra.s3.forcePathStyle),
    S3_BUCKET: infra.s3.bucket,
    ...issuer.env,
    IDENTITY_KEYS: `e2e:${identityKey}`,
    IDENTITY_ACTIVE_KEY: "e2e",
    IDENTITY_HASH_KEY: randomBytes(32).toString("base64"),
    MEDIA_WEBHOOK_SENDER_SECRETS: `e2e-monitor:${randomBytes(32).toString("hex")}`,
    // One directory for the router, the edges (which check categoryHints against its taxonomy) and the closure
    // (leaders, the supervision answer period, rule 10 thresholds).
    DIRECTORY_FILE: defaultDirectoryPath,
    ROUTER_DATA_DIR: options.dataDir ? join(options.dataDir, "router") : "memory://",
    ROUTER_GROUP_ID: `${topicPrefix}router`,
    ROUTER_CLASSIFICATION_GROUP_ID: `${topicPrefix}router-classifications`,
    PGLITE_DATA_DIR: options.dataDir ? join(options.dataDir, "closure") : "memory://",
    CONSUMER_GROUP: `${topicPrefix}closure`,
    SCAN_INTERVAL_MS: "1000",
    RELAY_INTERVAL_MS: "100",
    SSE_POLL_MS: "200",
    ...options.env,
  };
  const output: string[] = [];
  const readyTimeoutMs = options.readyTimeoutMs ?? 90_000;
  const children = new Map<ServiceName, ChildProcess>();

  function launch(name: ServiceName): ChildProcess {
    const child = spawn(
      process.execPath,
      ["--conditions=source", "--import", "tsx", join(root, "services", name, "src/main.ts")],
      {
        cwd: root,
        env: { ...env, PORT: String(ports[name]) },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const collect = (chunk: Buffer) =>
      output.push(
        ...chunk
          .toString()
          .split("\n")
          .filter(Boolean)
          .map((line) => `${name}: ${line}`),
      );
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    children.set(name, child);
    return child;
  }

  async function ready(name: ServiceName): Promise<void> {
    const deadline = Date.now() + readyTimeoutMs;
    while (Date.now() < deadline) {
      const child = children.get(name);
      if (child?.exitCode !== null && child?.exitCode !== undefined) {
        throw new Error(
          `${name} exited with ${child.exitCode}:\n${output
            .filter((l) => l.startsWith(`${name}:`))
            .slice(-20)
            .join("\n")}`,
        );
      }
      try {
        if ((await fetch(`http://127.0.0.1:${ports[name]}/readyz`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(
      `${name} not ready in ${readyTimeoutMs / 1000} s:\n${output
        .filter((l) => l.startsWith(`${name}:`))
        .slice(-20)
        .join("\n")}`,
    );
  }

  async function stopOne(name: ServiceName, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const child = children.get(name);
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill(signal);
    // A graceful stop gets 15 s (consumers leave their group, the outbox flushes); then it is forced.
    const force = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(force);
  }

  for (const name of serviceNames) launch(name);
  try {
    await Promise.all(serviceNames.map(ready));
  } catch (error) {
    // Leave nothing behind holding ports: a failed start stops everything it launched, by force.
    await Promise.all(serviceNames.map((name) => stopOne(name, "SIGKILL")));
    throw error;
  }
  return {
    urls: Object.fromEntries(serviceNames.map((name) => [name, `http://127.0.0.1:${ports[name]}`])) as Record<
      ServiceName,
      string
    >,
    env,
    tokens: issuer.tokens,
    topicPrefix,
    output,
    async stop() {
      for (const name of [...serviceNames].reverse()) await stopOne(name);
    },
    async restart(name, signal = "SIGTERM") {
      await stopOne(name, signal);
      launch(name);
      await ready(name);
    },
  };
}

/**
 * startSystem leaves the services it already launched running when another fails to start (the orphans keep their
 * ports); this stops this process's own service children before passing the failure on.
 */
export async function startSystemOrReap(
  infra: InfraInfo,
  options: Parameters<typeof startSystem>[1] = {},
): Promise<RunningSystem> {
  try {
    return await startSystem(infra, options);
  } catch (error) {
    const children = spawnSync("ps", ["-o", "pid=,args=", "--ppid", String(process.pid)], { encoding: "utf8" }).stdout ?? "";
    for (const line of children.split("\n").filter((l) => /services\/\w+\/src\/main\.ts/.test(l))) {
      process.kill(Number.parseInt(line.trim(), 10), "SIGKILL");
    }
    throw error;
  }
}
