import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import type { LifecycleEvent } from "@clueline/contracts";
import { describe, expect, it } from "vitest";
import { runCli } from "../cli.js";
import { replayConductPatterns } from "./what-if-conduct.js";

const actor = { kind: "system", id: "deadline-scan" } as const;
const thresholds = { enabled: true, windowDays: 30, overdue: 3, dissatisfied: 3, returnsUpheld: 2 };

/** A service clue about `unit` (or a discipline one) whose accept clock runs out on `day`. */
function overdueClue(n: number, unit: string, day: string, track: "service" | "discipline" = "service"): LifecycleEvent[] {
  const assignment = { assignmentId: `a-${n}`, unitId: unit, role: "lead" as const, track };
  return [
    {
      event: "assignment.assigned",
      clueId: `clue-${n}`,
      occurredAt: "2026-03-02T02:00:00.000Z",
      actor: { kind: "system", id: "router" },
      assignment,
      cause: "routing",
      acceptDueOn: "2026-03-09",
      concludeDueOn: null,
    },
    {
      event: "deadline.overdue",
      clueId: `clue-${n}`,
      occurredAt: `${day}T01:00:00.000Z`,
      actor,
      deadline: { kind: "accept", dueOn: "2026-03-09", assignmentId: `a-${n}`, unitId: unit },
    },
  ];
}

describe("what-if for rule 10", () => {
  it("replays lifecycle events into the conduct clues the thresholds would open and supplement", () => {
    const events = [
      ...overdueClue(1, "dept-market", "2026-03-10"),
      ...overdueClue(2, "dept-market", "2026-03-11"),
      ...overdueClue(3, "team-2", "2026-03-11", "discipline"),
      ...overdueClue(4, "dept-tax", "2026-03-12"),
      ...overdueClue(5, "dept-market", "2026-03-12"),
      ...overdueClue(6, "dept-market", "2026-03-20"),
    ];
    const found = replayConductPatterns({ events, thresholds });
    expect(found.map((p) => [p.mode, p.department, p.clue, p.evidence.map((f) => f.clueId)])).toEqual([
      ["open", "dept-market", 1, ["clue-1", "clue-2", "clue-5"]],
      ["supplement", "dept-market", 1, ["clue-6"]],
    ]);
    expect(replayConductPatterns({ events, thresholds: { ...thresholds, overdue: 4 } }).map((p) => p.mode)).toEqual(["open"]);
    expect(replayConductPatterns({ events, thresholds: { ...thresholds, windowDays: 1 } })).toEqual([]);
    expect(replayConductPatterns({ events, thresholds: { ...thresholds, enabled: false } })).toEqual([]);
  });

  it("prints them from a lifecycle file through `route --what-if-conduct`", async () => {
    const dir = await mkdtemp(join(tmpdir(), "what-if-"));
    try {
      const path = join(dir, "lifecycle.jsonl");
      const events = [1, 2, 3].flatMap((n) => overdueClue(n, "dept-market", `2026-03-1${n}`));
      await writeFile(path, `${events.map((e) => JSON.stringify(e)).join("\n")}\nnot json\n`);
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = "";
      let err = "";
      stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
      stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
      const code = await runCli({ argv: ["--what-if-conduct", path], stdin: new PassThrough(), stdout, stderr });
      expect(code).toBe(1); // the bad line
      expect(err).toContain("lifecycle.jsonl:7:");
      expect(out).toContain("1 conduct clues would open");
      expect(out).toMatch(/dept-market \S+: opens conduct clue #1, led by team-2 \(3 overdue/);
      for (const n of [1, 2, 3]) expect(out).toContain(`clue-${n}  overdue`);
      const stricter = new PassThrough();
      let strictOut = "";
      stricter.on("data", (chunk: Buffer) => (strictOut += chunk.toString()));
      await runCli({ argv: ["--what-if-conduct", path, "--overdue", "4"], stdin: new PassThrough(), stdout: stricter, stderr });
      expect(strictOut).toContain("thresholds: on, window 30 days, overdue 4,");
      expect(strictOut).toContain("0 conduct clues would open");
      expect(await runCli({ argv: ["--overdue", "4"], stdin: new PassThrough(), stdout, stderr })).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
