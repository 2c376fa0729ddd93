import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { RoutingDecision } from "@clueline/contracts";
import { describe, expect, it } from "vitest";
import { runCli } from "./cli.js";
import { defaultDirectoryPath } from "./directory/index.js";

async function cli(argv: string[], lines: string[]) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  stdin.end(lines.map((line) => `${line}\n`).join(""));
  const code = await runCli({ argv, stdin, stdout, stderr });
  return {
    code,
    decisions: out
      .split("\n")
      .filter(Boolean)
      .map((line) => RoutingDecision.parse(JSON.parse(line))),
    stderr: err,
  };
}

const line = (id: string, text: string, day = 1, extra: object = {}) =>
  JSON.stringify({
    id,
    channel: "hotline",
    receivedAt: `2024-05-${String(day).padStart(2, "0")}T09:00:00+08:00`,
    text,
    reporter: { kind: "anonymous" },
    ...extra,
  });

describe("route CLI", () => {
  it("writes one decision per line, earlier lines being the history", async () => {
    const { code, decisions, stderr } = await cli(
      [],
      [line("a", "城关镇干部吃拿卡要", 1), line("b", "城关镇干部吃拿卡要", 2), "", line("c", "城关镇干部吃拿卡要", 3)],
    );
    expect([code, stderr]).toEqual([0, ""]);
    expect(decisions.map((d) => [d.complaintId, d.discipline?.lead])).toEqual([
      ["a", "town-chengguan"],
      ["b", "town-chengguan"],
      ["c", "dc"],
    ]);
  });

  it("reports a bad line as 'line N: path: reason' and goes on", async () => {
    const bad = JSON.stringify({ ...JSON.parse(line("x", "城关镇")), reporter: { kind: "real-name" }, receivedAt: "yesterday" });
    const { code, decisions, stderr } = await cli(
      [],
      [line("a", "城关镇干部吃拿卡要"), bad, "{not json", line("b", "市监局审批慢")],
    );
    expect(code).toBe(1);
    expect(decisions.map((d) => d.complaintId)).toEqual(["a", "b"]);
    expect(stderr.split("\n").filter(Boolean)).toEqual([
      expect.stringMatching(/^line 2: receivedAt: /),
      expect.stringMatching(/^line 2: reporter\.hash: /),
      expect.stringMatching(/^line 3: \(json\): /),
    ]);
  });

  it("prints every problem of an invalid directory and exits 2", async () => {
    const dir = await mkdtemp(join(tmpdir(), "clueline-cli-"));
    try {
      const path = join(dir, "bad.yaml");
      const text = await readFile(defaultDirectoryPath, "utf8");
      await writeFile(
        path,
        text.replace("transferTo: city-commission", "transferTo: nobody").replace("mergeWindowDays: 7", "mergeWindowDays: -7"),
      );
      const { code, decisions, stderr } = await cli(["--directory", path], [line("a", "城关镇干部吃拿卡要")]);
      expect([code, decisions]).toEqual([2, []]);
      expect(stderr).toContain("(2 problems)");
      expect(stderr).toMatch(/policy\.transferTo \(line \d+\): unknown external body "nobody"/);
      expect(stderr).toMatch(/policy\.mergeWindowDays \(line \d+\): /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses an unknown option with the usage", async () => {
    const { code, stderr } = await cli(["--directroy", "x.yaml"], []);
    expect(code).toBe(2);
    expect(stderr).toContain("usage: route");
  });

  it("runs as a program with tsx, no build needed", () => {
    const root = fileURLToPath(new URL("../../..", import.meta.url));
    const result = spawnSync("npx", ["tsx", "services/router/src/cli.ts"], {
      cwd: root,
      input: `${line("a", "税务局工作人员违规吃喝")}\n`,
      encoding: "utf8",
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(RoutingDecision.parse(JSON.parse(result.stdout)).transfer?.to).toBe("city-commission");
  }, 30_000);
});
