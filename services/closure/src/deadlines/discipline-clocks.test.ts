import { describe, expect, it } from "vitest";
import { testDeadlines, testDirectory } from "../testing/fixtures.js";
import { conclusionStart, disposalStart, reviewDateProblem, reviewStart } from "./discipline-clocks.js";

// A Monday morning in Beijing; 2026-03-02 + 30 calendar days is 2026-04-01 (a Wednesday).
const now = new Date("2026-03-02T10:00:00+08:00");
const clock = testDeadlines();
const policy = testDirectory();

describe("discipline clocks (DESIGN §7)", () => {
  it("takes the shipped directory's periods: a disposal in 30 days, 谈话函询 30, 初步核实 90", () => {
    expect(policy.disciplineDisposalDays).toBe(30);
    expect(policy.disciplineConclusionDays).toEqual({ "talk-or-letter": 30, "preliminary-check": 90 });
  });

  it("makes a disposal due 30 calendar days after acceptance", () => {
    const due = clock.compute(disposalStart(policy, now));
    expect(due.dueOn).toBe("2026-04-01");
    expect(due.dueAt).toEqual(new Date("2026-04-02T00:00:00+08:00"));
  });

  it("starts a conclusion clock per way of handling, from the policy", () => {
    expect(clock.compute(conclusionStart(policy, "talk-or-letter", now) ?? fail()).dueOn).toBe("2026-04-01");
    expect(clock.compute(conclusionStart(policy, "preliminary-check", now) ?? fail()).dueOn).toBe("2026-05-31");
    // The older spelling counts as 初步核实.
    expect(conclusionStart(policy, "preliminary-verification", now)).toEqual(conclusionStart(policy, "preliminary-check", now));
    const tuned = { ...policy, disciplineConclusionDays: { "talk-or-letter": 10, "preliminary-check": 45 } };
    expect(clock.compute(conclusionStart(tuned, "talk-or-letter", now) ?? fail()).dueOn).toBe("2026-03-12");
    expect(clock.compute(conclusionStart(tuned, "preliminary-check", now) ?? fail()).dueOn).toBe("2026-04-16");
  });

  it("starts no conclusion clock for hold, close or a service complaint's handling", () => {
    expect(conclusionStart(policy, "hold", now)).toBeNull();
    expect(conclusionStart(policy, "close", now)).toBeNull();
    expect(conclusionStart(policy, "handling", now)).toBeNull();
  });

  it("holds a clue until a review date in the future, within a year, due on that date", () => {
    const due = clock.compute(reviewStart("2026-06-15", now));
    expect(due.dueOn).toBe("2026-06-15");
    expect(due.dueAt).toEqual(new Date("2026-06-16T00:00:00+08:00"));
    expect(clock.compute(reviewStart("2026-03-03", now)).dueOn).toBe("2026-03-03");
    expect(reviewDateProblem("2027-03-03", now)).toBeNull();
  });

  it("refuses a review date that is today, past, or more than a year ahead", () => {
    expect(reviewDateProblem("2026-03-02", now)).toMatch(/after today/);
    expect(reviewDateProblem("2026-01-10", now)).toMatch(/after today/);
    expect(reviewDateProblem("2027-03-04", now)).toMatch(/within 366 days/);
    expect(() => reviewStart("2026-03-01", now)).toThrow(RangeError);
    // Late evening UTC is already the next day in Beijing: that day is today, not the future.
    expect(reviewDateProblem("2026-03-03", new Date("2026-03-02T17:00:00Z"))).toMatch(/after today/);
  });
});

function fail(): never {
  throw new Error("expected a clock");
}
