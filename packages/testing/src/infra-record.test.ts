import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

// The record of what infra/up.sh started (infra/lib.sh record_add / record_remove), which `down.sh --started` reads.
// These run the two functions alone: up.sh and down.sh would start and stop the shared Kafka and S3Proxy.

const lib = join(dirname(fileURLToPath(import.meta.url)), "../../../infra/lib.sh");
let dir = "";

function shell(script: string): void {
  execFileSync("bash", ["-euo", "pipefail", "-c", `source "${lib}"; ${script}`], { stdio: ["ignore", "pipe", "pipe"] });
}
function lines(file: string): string[] {
  try {
    return readFileSync(file, "utf8").split("\n").filter(Boolean);
  } catch {
    return ["<missing>"];
  }
}

describe("the record of what infra/up.sh started", () => {
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("each up adds to it and never overwrites it; down takes off only what it stopped", () => {
    dir = mkdtempSync(join(tmpdir(), "infra-record-"));
    const record = join(dir, "infra.started");
    shell(`record_add "${record}" kafka`);
    expect(lines(record)).toEqual(["kafka"]);
    shell(`record_add "${record}"`); // an up that started nothing
    expect(lines(record)).toEqual(["kafka"]);
    shell(`record_add "${record}" s3proxy kafka`);
    expect(lines(record)).toEqual(["kafka", "s3proxy"]);
    shell(`record_remove "${record}" kafka`);
    expect(lines(record)).toEqual(["s3proxy"]);
    shell(`record_remove "${dir}/never-written" kafka`);
    expect(lines(join(dir, "never-written"))).toEqual(["<missing>"]);
  });

  it("npm start and a test run in one checkout keep separate records: each stops only what it started", () => {
    dir = mkdtempSync(join(tmpdir(), "infra-record-"));
    const start = join(dir, "infra-started", "npm-start-1");
    const test = join(dir, "infra-started", "test-2");
    shell(`record_add "${start}" kafka s3proxy`); // npm start: up started both
    shell(`record_add "${test}"`); // npm test: up found both running, started nothing
    expect(lines(test)).toEqual([]); // so its teardown (down --started) stops nothing…
    expect(lines(start)).toEqual(["kafka", "s3proxy"]); // …and Ctrl-C on npm start still stops both
  });

  it("up.sh records through record_add, and npm start and the test harness each name a record of their own", () => {
    const root = join(dirname(lib), "..");
    const up = readFileSync(join(root, "infra/up.sh"), "utf8");
    expect(up).toMatch(/record_add "\$INFRA_STARTED_FILE"/);
    expect(up).not.toMatch(/>\s*"\$INFRA_STARTED_FILE/);
    for (const caller of ["scripts/start.mjs", "packages/testing/src/global-setup.ts"]) {
      const text = readFileSync(join(root, caller), "utf8");
      expect(text, caller).toMatch(/const infraEnv = \{ \.\.\.process\.env, CLUELINE_INFRA_STARTED_FILE: \w+ \}/);
      const calls = [...text.matchAll(/execFileSync\("bash", \[join\([^)]*"infra\/(up|down)\.sh"\)[^\]]*\], \{([^}]*)\}/g)];
      expect(
        calls.map((call) => call[1]),
        caller,
      ).toEqual(["up", "down"]);
      for (const call of calls) expect(call[2], `${caller}: ${call[1]}.sh`).toContain("env: infraEnv");
    }
  });
});
