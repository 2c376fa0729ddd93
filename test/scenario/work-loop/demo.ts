// `npm run demo -- --work-loop`: the inspector's work loop (test/scenario/work-loop.json) on a system of its own.
// It moves the closure's deadline scan days ahead, which must never happen to the clues of `npm start`'s system,
// so it starts the five services from source on the running infrastructure (Kafka, S3Proxy: `npm start` or
// `npm run infra:up`), with a fresh topic prefix and a throwaway ledger, and stops them at the end.
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { InfraInfo } from "@clueline/testing";
import { startSystemOrReap } from "../../e2e/system-under-test.js";
import { runWorkLoop, systemHands } from "./index.js";

/** The infrastructure `infra/up.sh` wrote down (.data/infra.env), or what the environment names. */
function infraOf(env: Record<string, string | undefined>): InfraInfo {
  const file = new URL("../../../.data/infra.env", import.meta.url);
  const written = existsSync(file)
    ? Object.fromEntries(
        readFileSync(file, "utf8")
          .split("\n")
          .filter((line) => line.includes("=") && !line.startsWith("#"))
          .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
      )
    : {};
  const value = (name: string) => env[name] ?? written[name];
  const brokers = value("KAFKA_BROKERS");
  const endpoint = value("S3_ENDPOINT");
  if (!brokers || !endpoint) throw new Error("no Kafka or S3 to run on: start them with `npm start` or `npm run infra:up`");
  return {
    kafkaBrokers: brokers.split(","),
    s3: {
      endpoint,
      region: value("S3_REGION") ?? "us-east-1",
      accessKeyId: value("S3_ACCESS_KEY_ID") ?? "",
      secretAccessKey: value("S3_SECRET_ACCESS_KEY") ?? "",
      forcePathStyle: value("S3_FORCE_PATH_STYLE") !== "false",
      bucket: value("S3_BUCKET") ?? "clueline-evidence",
    },
    databaseUrl: undefined,
  };
}

const dataDir = mkdtempSync(join(tmpdir(), "clueline-work-loop-demo-"));
console.log("\nStarting a system of its own for the work loop (its deadline scan will run days ahead)…");
let infra: InfraInfo;
try {
  infra = infraOf(process.env);
} catch (error) {
  console.error(`✗ ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const system = await startSystemOrReap(infra, {
  dataDir,
  env: { LOG_LEVEL: "warn", PUBLISH_TIMEOUT_MS: "30000" },
  readyTimeoutMs: 240_000,
});
const { call, setScanClockAhead } = systemHands(system);
try {
  const { clues } = await runWorkLoop({
    call,
    runId: randomBytes(4).toString("hex"),
    log: (line) => console.log(line),
    setScanClockAhead,
  });
  console.log("\nThe work loop's clues now (the district commission's view)\n");
  for (const clue of Object.values(clues)) {
    const detail = JSON.parse(
      (await call({ service: "closure", path: `/v1/clues/${clue.clueId}`, scopes: ["commission"] })).text,
    ) as {
      state: string;
      assignments: { unitId: string; role: string; state: string }[];
    };
    console.log(
      `  clue ${clue.clueId} ${detail.state} ${detail.assignments.map((a) => `${a.unitId}:${a.role}:${a.state}`).join(" ")}`,
    );
  }
} catch (error) {
  console.error(`\n✗ ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await system.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
