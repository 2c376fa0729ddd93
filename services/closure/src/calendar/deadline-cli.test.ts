// Spawns the real CLI, as an operator runs it; the cases are few because each start costs ~0.5 s.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const tsx = createRequire(import.meta.url).resolve("tsx/cli");
const cli = fileURLToPath(new URL("../deadline-cli.ts", import.meta.url));
const calendarFile = fileURLToPath(new URL("../../calendar/local.yaml", import.meta.url));

function deadline(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [tsx, cli, ...args], { encoding: "utf8", env: { ...process.env, ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("deadline CLI", { timeout: 30_000 }, () => {
  it("prints the due date alone on stdout, whatever the host time zone", () => {
    for (const TZ of ["Asia/Shanghai", "America/New_York"]) {
      expect(deadline(["--from", "2026-02-14", "--working-days", "5", "--calendar", calendarFile], { TZ })).toEqual({
        status: 0,
        stdout: "2026-02-28\n",
        stderr: "",
      });
    }
  });

  it("exits 2 with usage on bad arguments", () => {
    const result = deadline(["--from", "14/02/2026", "--working-days", "5"]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("usage: deadline");
  });

  it("exits 3 when a year has no data", () => {
    const result = deadline(["--from", "2026-12-20", "--working-days", "15"]);
    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(/No working-day calendar for 2027/);
  });
});
