#!/usr/bin/env node
// `npm run bench`: every benchmark in one run, so their figures compare on the same machine state.
// Starts Kafka and S3Proxy through infra/ when needed. Each bench prints one JSON line (collected into
// bench/results/latest.json) and human lines on stderr. Pass names to run a subset:
//   npm run bench -- router-in-process router-end-to-end edges closure
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tsx = ["npx", "tsx", "--conditions", "source"];
const benches = {
  "router-in-process": [...tsx, "services/router/bench/in-process.ts"],
  "router-end-to-end": [...tsx, "services/router/bench/end-to-end.ts", "--n", "20000"],
  "router-history-read": [...tsx, "services/router/bench/history-read.ts", "--clues", "100000"],
  // As deployed: plain node on the build (turbo builds first, below), the edges' heap cap.
  edges: ["node", "bench/edges.mjs", "--duration", "10", "--runtime", "dist"],
  closure: [...tsx, "services/closure/bench/ledger-bench.ts"],
  "closure-plan": [...tsx, "services/closure/bench/plan-bench.ts"],
  system: ["node", "bench/system.mjs"],
};
const wanted = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(benches);

execFileSync("bash", [join(root, "infra/up.sh")], { stdio: ["ignore", "inherit", "inherit"] });
if (wanted.includes("edges")) {
  process.stderr.write("== build (turbo run build), for the edges as deployed\n");
  execFileSync("npx", ["turbo", "run", "build", "--output-logs=errors-only"], { cwd: root, stdio: ["ignore", 2, 2] });
}
const infraEnv = existsSync(join(root, ".data/infra.env"))
  ? Object.fromEntries(
      readFileSync(join(root, ".data/infra.env"), "utf8")
        .split("\n")
        .filter((line) => line.includes("=") && !line.startsWith("#"))
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    )
  : {};

/** A bench's figures: one JSON object per line, or one pretty-printed JSON document. */
function jsonResults(stdout) {
  const parsed = stdout.split("\n").flatMap((line) => {
    if (!line.startsWith("{") || !line.endsWith("}")) return [];
    try {
      return [JSON.parse(line)];
    } catch {
      return [];
    }
  });
  if (parsed.length > 0) return parsed;
  try {
    return [JSON.parse(stdout.slice(stdout.indexOf("{")))];
  } catch {
    return [];
  }
}

const results = [];
for (const name of wanted) {
  const command = benches[name];
  if (!command) {
    process.stderr.write(`unknown bench ${name}; known: ${Object.keys(benches).join(", ")}\n`);
    process.exitCode = 2;
    continue;
  }
  process.stderr.write(`\n== bench ${name}: ${command.join(" ")}\n`);
  const run = spawnSync(command[0], command.slice(1), {
    cwd: root,
    env: { ...infraEnv, ...process.env },
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
  });
  process.stdout.write(run.stdout);
  results.push({ name, exitCode: run.status, results: jsonResults(run.stdout) });
}
mkdirSync(join(root, "bench/results"), { recursive: true });
const report = { at: new Date().toISOString(), cores: cpus().length, cpu: cpus()[0]?.model, benches: results };
writeFileSync(join(root, "bench/results/latest.json"), `${JSON.stringify(report, null, 2)}\n`);
process.stderr.write(`\nwrote bench/results/latest.json (${cpus().length} cores)\n`);
