import { describe, expect, it } from "vitest";
import { workLoopScenario } from "./scenario.js";
import { runReporterPhone } from "./submit-complaint.js";

describe("the work loop's own real-name reporter", () => {
  it("is a mainland mobile number, the same within a run and new in each run", () => {
    expect(runReporterPhone("a1b2c3d4")).toMatch(/^139\d{8}$/);
    expect(runReporterPhone("a1b2c3d4")).toBe(runReporterPhone("a1b2c3d4"));
    const phones = new Set(Array.from({ length: 50 }, (_, i) => runReporterPhone(`run-${i}`)));
    expect(phones.size).toBe(50);
  });

  it("is the only real-name reporter of the scenario, and carries no contact of its own", () => {
    const reporters = [
      ...Object.values(workLoopScenario.clues).map((clue) => clue.body.reporter),
      ...workLoopScenario.steps.flatMap((step) =>
        step.complaint ? [(step.complaint as { body: { reporter: unknown } }).body.reporter] : [],
      ),
    ] as { kind: string; phone?: string; idNumber?: string }[];
    const named = reporters.filter((reporter) => reporter.kind === "real-name");
    expect(named.length).toBe(2); // the clue's complaint and its supplement
    for (const reporter of named) expect(reporter.phone ?? reporter.idNumber).toBeUndefined();
  });
});
