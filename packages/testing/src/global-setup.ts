import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import type { InfraInfo } from "./infra-info.js";
import { startContainers } from "./testcontainers.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const TEST_BUCKET = "clueline-test";

/**
 * Makes sure a real Kafka and S3 are up before integration tests run. By default it starts them through
 * infra/up.sh (which does nothing for a component already running, or for one the user points at with
 * KAFKA_BROKERS / S3_ENDPOINT) and stops afterwards only what it started. CLUELINE_INFRA=testcontainers uses
 * Docker containers instead, for users who have a Docker engine.
 */
export default async function setup(project: TestProject) {
  if (process.env.CLUELINE_INFRA === "testcontainers") {
    const containers = await startContainers(TEST_BUCKET);
    project.provide("infra", { ...containers.info, databaseUrl: process.env.DATABASE_URL });
    return () => containers.stop();
  }
  // This run's own record of what up.sh started: an `npm start` (or another test run) in the same checkout keeps
  // its own, so the teardown stops only what this run started and never what it found running.
  const started = join(repoRoot, ".data/infra-started", `test-${process.pid}`);
  const infraEnv = { ...process.env, CLUELINE_INFRA_STARTED_FILE: started };
  execFileSync("bash", [join(repoRoot, "infra/up.sh")], { stdio: ["ignore", "inherit", "inherit"], env: infraEnv });
  const env = { ...readEnvFile(join(repoRoot, ".data/infra.env")), ...definedEnv() };
  const info: InfraInfo = {
    kafkaBrokers: required(env, "KAFKA_BROKERS").split(","),
    s3: {
      endpoint: required(env, "S3_ENDPOINT"),
      region: env.S3_REGION ?? "us-east-1",
      accessKeyId: env.S3_ACCESS_KEY_ID ?? "clueline",
      secretAccessKey: env.S3_SECRET_ACCESS_KEY ?? "clueline-secret",
      forcePathStyle: (env.S3_FORCE_PATH_STYLE ?? "true") === "true",
      bucket: env.S3_BUCKET ?? TEST_BUCKET,
    },
    databaseUrl: env.DATABASE_URL,
  };
  project.provide("infra", info);
  return () => {
    if (process.env.CLUELINE_KEEP_INFRA === "1") {
      // What it left running stays recorded, for `CLUELINE_INFRA_STARTED_FILE=<record> infra/down.sh --started`.
      if (readText(started).trim() === "") rmSync(started, { force: true });
      return;
    }
    execFileSync("bash", [join(repoRoot, "infra/down.sh"), "--started"], {
      stdio: ["ignore", "inherit", "inherit"],
      env: infraEnv,
    });
    rmSync(started, { force: true });
  };
}

function readEnvFile(path: string): Record<string, string> {
  let text = "";
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return {};
  }
  const pairs = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith("#") && line.includes("="))
    .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]);
  return Object.fromEntries(pairs);
}

function definedEnv(): Record<string, string> {
  const names = [
    "KAFKA_BROKERS",
    "S3_ENDPOINT",
    "S3_REGION",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_FORCE_PATH_STYLE",
    "S3_BUCKET",
    "DATABASE_URL",
  ];
  return Object.fromEntries(names.flatMap((name) => (process.env[name] ? [[name, process.env[name] as string]] : [])));
}

function required(env: Record<string, string | undefined>, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not known after infra/up.sh: see .data/*.log`);
  return value;
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}
