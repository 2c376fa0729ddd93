#!/usr/bin/env node
// `npm start`: infrastructure up (Kafka, S3Proxy; PostgreSQL only if DATABASE_URL is given, else PGlite),
// every workspace built, the five services started with plain `node` from dist/, and where everything is
// printed. Ctrl-C stops the services, then the infrastructure this run started.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DEV_ISSUER, ensureDevKeys } from "./dev-tokens.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dataDir = join(root, ".data");
const services = [
  { name: "hotline", port: 8081 },
  { name: "intake", port: 8082 },
  { name: "media", port: 8083 },
  { name: "closure", port: 8084 },
  { name: "router", port: 8085 },
];

function step(message) {
  process.stdout.write(`\n== ${message}\n`);
}

function readEnvFile(path) {
  if (!existsSync(path)) return {};
  return Object.fromEntries(
    readFileSync(path, "utf8")
      .split("\n")
      .filter((line) => line.includes("=") && !line.startsWith("#"))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
}

/**
 * Development secrets, made once per checkout and kept in .data/ (gitignored); production sets its own.
 * A secret a newer version needs is added to an existing file without touching the others.
 */
function devSecrets() {
  const path = join(dataDir, "dev-secrets.env");
  const wanted = {
    IDENTITY_KEYS: () => `dev1:${randomBytes(32).toString("base64")}`,
    IDENTITY_ACTIVE_KEY: () => "dev1",
    IDENTITY_HASH_KEY: () => randomBytes(32).toString("base64"),
    MEDIA_WEBHOOK_SENDER_SECRETS: () => `dev-monitor:${randomBytes(32).toString("hex")}`,
  };
  // Names of older versions, dropped from an existing file: the shared HS256 secret gave way to a JWKS, the one
  // webhook secret list to one per sender (the media edge refuses to start with it).
  const retired = ["AUTH_JWT_SECRET", "MEDIA_WEBHOOK_SECRETS"];
  const secrets = readEnvFile(path);
  const missing = Object.keys(wanted).filter((name) => !secrets[name]);
  const stale = retired.filter((name) => name in secrets);
  if (missing.length > 0 || stale.length > 0) {
    mkdirSync(dataDir, { recursive: true });
    for (const name of missing) secrets[name] = wanted[name]();
    for (const name of stale) delete secrets[name];
    const text = Object.entries(secrets)
      .map(([name, value]) => `${name}=${value}`)
      .join("\n");
    writeFileSync(path, `${text}\n`, { mode: 0o600 });
  }
  return secrets;
}

step("infrastructure (infra/up.sh)");
// This run's own record of what up.sh started: a `npm test` in the same checkout keeps its own, so neither stops
// what the other started (Ctrl-C here must still stop the Kafka and S3Proxy this run started).
const infraStarted = join(dataDir, "infra-started", `npm-start-${process.pid}`);
const infraEnv = { ...process.env, CLUELINE_INFRA_STARTED_FILE: infraStarted };
execFileSync("bash", [join(root, "infra/up.sh")], { stdio: "inherit", env: infraEnv });
const env = {
  ...process.env,
  ...readEnvFile(join(dataDir, "infra.env")),
  ...devSecrets(),
  // Tokens are checked against the development key pair's public JWKS (scripts/dev-tokens.mjs), made once per
  // checkout; only `npm run token` and `npm run demo` read its private half.
  AUTH_JWKS: ensureDevKeys(),
  AUTH_ISSUER: DEV_ISSUER,
  S3_BUCKET: process.env.S3_BUCKET ?? "clueline-evidence",
  // One directory for the router, the three edges (they check categoryHints against its taxonomy) and the closure
  // (the leaders supervision orders escalate to, the answer period, rule 10 thresholds).
  DIRECTORY_FILE: resolve(process.env.DIRECTORY_FILE ?? join(root, "packages/directory/default.yaml")),
  ROUTER_DATA_DIR: join(dataDir, "router-pglite"),
  PGLITE_DATA_DIR: join(dataDir, "closure-ledger"),
};

step("build (turbo run build)");
execFileSync("npx", ["turbo", "run", "build", "--output-logs=errors-only"], { cwd: root, stdio: "inherit" });

/**
 * V8's old-space limit per service. Without one V8 lets garbage pile up far past what a service holds: the edges sat
 * near 320 MB (bench/edges), the router and the closure at 278 and 220 MB at 500 complaints/s on PostgreSQL (bench
 * /system.mjs), against 131 MB and 177 / 155 MB with these limits; the cost is more frequent collection (bench/README).
 */
const oldSpaceMb = { hotline: 128, intake: 128, media: 128, router: 160, closure: 160 };

step("services");
let stopping = false;
const children = services.map(({ name, port }) => {
  const heap = [`--max-old-space-size=${oldSpaceMb[name]}`];
  const child = spawn(process.execPath, [...heap, join(root, "services", name, "dist", "main.js")], {
    cwd: root,
    env: { ...env, PORT: String(port) },
    stdio: ["ignore", "inherit", "inherit"],
  });
  child.on("exit", (code, signal) => {
    if (!stopping) process.stderr.write(`!! ${name} exited (${signal ?? code}); see its log lines above\n`);
  });
  return { name, port, child };
});

async function ready({ name, port }) {
  for (let attempt = 0; attempt < 120; attempt++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  process.stderr.write(`!! ${name} not ready after 60 s\n`);
  return false;
}

const states = await Promise.all(children.map(ready));
step(states.every(Boolean) ? "clueline is running" : "clueline is running, with problems (see above)");
for (const { name, port } of children) {
  process.stdout.write(
    `  ${name.padEnd(8)} http://127.0.0.1:${port}   docs http://127.0.0.1:${port}/docs   OpenAPI /openapi.json\n`,
  );
}
process.stdout.write("\n  Tokens for trying the APIs: npm run token -- --subject me --scope complaint:write\n");
process.stdout.write("  Demo scenario: npm run demo (in another terminal). Ctrl-C stops everything.\n");

async function stop() {
  if (stopping) return;
  stopping = true;
  step("stopping services");
  for (const { child } of [...children].reverse()) child.kill("SIGTERM");
  await Promise.all(
    children.map(({ child }) => (child.exitCode === null ? new Promise((resolve) => child.once("exit", resolve)) : null)),
  );
  step("stopping the infrastructure this run started");
  execFileSync("bash", [join(root, "infra/down.sh"), "--started"], { stdio: "inherit", env: infraEnv });
  rmSync(infraStarted, { force: true });
  process.exit(0);
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
