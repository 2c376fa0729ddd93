import { describe, expect, it } from "vitest";
import { type ConductThresholds, detectConductPattern, type ServiceFailure, type ServiceFailureKind } from "./conduct-pattern.js";

const thresholds: ConductThresholds = { enabled: true, windowDays: 30, overdue: 3, dissatisfied: 3, returnsUpheld: 2 };
const at = new Date("2026-03-31T08:00:00.000Z");
const DAY = 86_400_000;

function failure(kind: ServiceFailureKind, n: number, msBefore = n * DAY, department = "dept-market"): ServiceFailure {
  return {
    id: `${kind}:${n}`,
    kind,
    department,
    clueId: `clue-${kind}-${n}`,
    occurredAt: new Date(at.getTime() - msBefore).toISOString(),
    detail: `${kind} ${n}`,
  };
}

const detect = (
  failures: ServiceFailure[],
  options: { cited?: string[]; openClue?: boolean; thresholds?: ConductThresholds } = {},
) =>
  detectConductPattern({
    department: "dept-market",
    failures,
    cited: new Set(options.cited ?? []),
    openClue: options.openClue ?? false,
    at,
    thresholds: options.thresholds ?? thresholds,
  });

describe("detectConductPattern", () => {
  it.each([
    ["overdue", 3],
    ["dissatisfied", 3],
    ["return-upheld", 2],
  ] as const)("opens at exactly the %s threshold (%i) and not one below", (kind, count) => {
    const failures = Array.from({ length: count }, (_, i) => failure(kind, i));
    const pattern = detect(failures);
    expect(pattern).toMatchObject({ mode: "open", department: "dept-market", kinds: [kind] });
    expect(pattern?.evidence.map((f) => f.id).sort()).toEqual(failures.map((f) => f.id).sort());
    expect(detect(failures.slice(1))).toBeNull();
  });

  it("does not add kinds together: two overdue and two dissatisfied make no pattern", () => {
    expect(
      detect([failure("overdue", 0), failure("overdue", 1), failure("dissatisfied", 0), failure("dissatisfied", 1)]),
    ).toBeNull();
  });

  it("counts a failure exactly windowDays before, not one a millisecond earlier", () => {
    const edge = failure("overdue", 9, 30 * DAY);
    const outside = failure("overdue", 9, 30 * DAY + 1);
    const inside = [failure("overdue", 0), failure("overdue", 1)];
    const pattern = detect([...inside, edge]);
    expect(pattern?.window).toEqual({ from: "2026-03-01T08:00:00.000Z", to: at.toISOString(), days: 30 });
    expect(pattern?.evidence.map((f) => f.id)).toEqual(["overdue:9", "overdue:1", "overdue:0"]);
    expect(detect([...inside, outside])).toBeNull();
  });

  it("ignores failures after the moment judged and those of other departments", () => {
    const later = failure("overdue", 5, -1);
    const other = failure("overdue", 6, DAY, "dept-tax");
    expect(detect([failure("overdue", 0), failure("overdue", 1), later, other])).toBeNull();
  });

  it("counts one failure id once", () => {
    expect(detect([failure("overdue", 0), failure("overdue", 0), failure("overdue", 1)])).toBeNull();
  });

  it("follows the window the policy sets", () => {
    const failures = [failure("overdue", 0), failure("overdue", 5), failure("overdue", 10)];
    expect(detect(failures, { thresholds: { ...thresholds, windowDays: 7 } })).toBeNull();
    expect(detect(failures, { thresholds: { ...thresholds, windowDays: 10 } })?.mode).toBe("open");
    expect(detect(failures.slice(0, 2), { thresholds: { ...thresholds, overdue: 2 } })?.evidence).toHaveLength(2);
  });

  it("finds nothing when the rule is off", () => {
    const failures = Array.from({ length: 10 }, (_, i) => failure("overdue", i));
    expect(detect(failures, { thresholds: { ...thresholds, enabled: false } })).toBeNull();
  });

  it("opens no second clue from failures an earlier pattern cited", () => {
    const failures = [failure("overdue", 0), failure("overdue", 1), failure("overdue", 2), failure("overdue", 3)];
    const cited = ["overdue:1", "overdue:2", "overdue:3"];
    expect(detect(failures, { cited })).toBeNull();
    const fresh = [...failures, failure("overdue", 4, 0.5 * DAY), failure("overdue", 5, 0.2 * DAY)];
    expect(detect(fresh, { cited })?.evidence.map((f) => f.id)).toEqual(["overdue:4", "overdue:5", "overdue:0"]);
  });

  it("supplements the open conduct clue with each fresh failure while the count stays at the threshold", () => {
    const failures = [failure("overdue", 0), failure("overdue", 1), failure("overdue", 2), failure("overdue", 3)];
    const cited = ["overdue:1", "overdue:2", "overdue:3"];
    const pattern = detect(failures, { cited, openClue: true });
    expect(pattern).toMatchObject({ mode: "supplement", kinds: ["overdue"] });
    expect(pattern?.evidence.map((f) => f.id)).toEqual(["overdue:0"]);
    // Nothing fresh: nothing to add. Below the threshold in the window: the pattern is over.
    expect(detect(failures, { cited: [...cited, "overdue:0"], openClue: true })).toBeNull();
    expect(detect([failure("overdue", 0), failure("overdue", 40)], { cited: ["overdue:40"], openClue: true })).toBeNull();
  });

  it("names every kind that crossed, evidence oldest first", () => {
    const failures = [
      failure("overdue", 0),
      failure("overdue", 1),
      failure("overdue", 2),
      failure("return-upheld", 3),
      failure("return-upheld", 4),
    ];
    const pattern = detect(failures);
    expect(pattern?.kinds).toEqual(["overdue", "return-upheld"]);
    expect(pattern?.evidence.map((f) => f.id)).toEqual([
      "return-upheld:4",
      "return-upheld:3",
      "overdue:2",
      "overdue:1",
      "overdue:0",
    ]);
  });
});
