import type { LifecycleEvent } from "@clueline/contracts";
import { describe, expect, it } from "vitest";
import { rankSubjects } from "./ranking.js";
import { createRatesProjection } from "./rates-projection.js";

const actor = { kind: "unit", id: "x" } as const;
const at = (day: string) => `${day}T10:00:00+08:00`;
const opened = (clueId: string, subjects: { towns?: string[]; departments?: string[] }, day: string): LifecycleEvent => ({
  event: "clue.opened",
  clueId,
  occurredAt: at(day),
  actor,
  complaintId: `c-${clueId}`,
  nature: "service",
  categories: [],
  channel: "hotline",
  reporterKind: "real-name",
  receivedAt: at(day),
  subjects: { towns: subjects.towns ?? [], departments: subjects.departments ?? [] },
  transfer: null,
  informed: [],
  acceptanceNoticeDueOn: null,
});
const ref = (id: string, unitId: string, role: "lead" | "assist" = "lead") => ({
  assignmentId: id,
  unitId,
  role,
  track: "service" as const,
});
const assigned = (clueId: string, a: ReturnType<typeof ref>, day: string, acceptDueOn: string): LifecycleEvent => ({
  event: "assignment.assigned",
  clueId,
  occurredAt: at(day),
  actor,
  assignment: a,
  cause: "routing",
  acceptDueOn,
  concludeDueOn: null,
});
const changed = (
  clueId: string,
  a: ReturnType<typeof ref>,
  day: string,
  event: "assignment.accepted" | "assignment.rejected",
  from = "assigned" as const,
): LifecycleEvent => ({
  event,
  clueId,
  occurredAt: at(day),
  actor,
  assignment: a,
  from,
  to: event === "assignment.accepted" ? "accepted" : "rejected",
});
const concluded = (clueId: string, a: ReturnType<typeof ref>, day: string): LifecycleEvent => ({
  event: "assignment.concluded",
  clueId,
  occurredAt: at(day),
  actor,
  assignment: a,
  from: "in-progress",
  to: "concluded",
  result: "resolved",
});
const callBack = (clueId: string, day: string, result: "satisfied" | "dissatisfied" | "unreachable"): LifecycleEvent => ({
  event: "clue.call-back-recorded",
  clueId,
  occurredAt: at(day),
  actor,
  result,
  round: 1,
  leadUnits: ["town-a"],
});

// The known data set: March 2026 for town-a, with one February assignment of town-b that must not count.
const A1 = ref("a1", "town-a");
const A2 = ref("a2", "town-a");
const A3 = ref("a3", "town-a");
const A4 = ref("a4", "town-a");
const A5 = ref("a5", "town-a", "assist");
const A6 = ref("a6", "town-b");
const A7 = ref("a7", "town-b");
const events: LifecycleEvent[] = [
  opened("c1", { towns: ["chengguan"] }, "2026-03-02"),
  assigned("c1", A1, "2026-03-02", "2026-03-09"),
  assigned("c1", A5, "2026-03-02", "2026-03-09"),
  changed("c1", A5, "2026-03-03", "assignment.accepted"), // on time
  changed("c1", A1, "2026-03-04", "assignment.accepted"), // on time
  concluded("c1", A1, "2026-03-18"),
  opened("c2", { towns: ["chengguan"] }, "2026-03-03"),
  assigned("c2", A2, "2026-03-03", "2026-03-10"),
  changed("c2", A2, "2026-03-12", "assignment.accepted"), // late
  opened("c3", { departments: ["dept-market"] }, "2026-03-05"),
  assigned("c3", A3, "2026-03-05", "2026-03-12"),
  changed("c3", A3, "2026-03-06", "assignment.rejected"), // on time, never taken on
  opened("c4", { towns: ["xinzhen"] }, "2026-03-30"),
  assigned("c4", A4, "2026-03-30", "2026-04-07"), // never answered
  opened("c6", { towns: ["chengguan"] }, "2026-02-27"),
  assigned("c6", A6, "2026-02-27", "2026-03-06"),
  changed("c6", A6, "2026-03-02", "assignment.accepted"),
  opened("c7", { departments: ["dept-market"] }, "2026-03-10"),
  assigned("c7", A7, "2026-03-10", "2026-03-17"), // never answered
  callBack("c1", "2026-03-20", "satisfied"),
  callBack("c2", "2026-03-25", "dissatisfied"),
  callBack("c3", "2026-03-28", "unreachable"),
  callBack("c1", "2026-04-02", "satisfied"), // April
];

function project() {
  const projection = createRatesProjection();
  for (const event of events) projection.apply(event);
  return projection;
}

describe("three rates on a known data set", () => {
  it("computes response, resolution and satisfaction per unit per month", () => {
    const [townA, townB] = project().unitRates({ month: "2026-03", asOf: new Date(at("2026-04-15")) });
    expect(townA).toEqual({
      unitId: "town-a",
      month: "2026-03",
      // a1, a3, a5 answered in time; a2 late; a4 unanswered past its due date.
      response: { numerator: 3, denominator: 5, rate: 0.6 },
      // a1 concluded, a2 in progress; a3 rejected and a4 unanswered were never taken on; a5 assists.
      resolution: { numerator: 1, denominator: 2, rate: 0.5 },
      // satisfied (c1), dissatisfied (c2); unreachable (c3) and April's call-back left out.
      satisfaction: { numerator: 1, denominator: 2, rate: 0.5 },
    });
    expect(townB?.response).toEqual({ numerator: 0, denominator: 1, rate: 0 }); // a7 only; a6 is February's
  });

  it("leaves out what is not decided yet", () => {
    const [, townB] = project().unitRates({ month: "2026-03", asOf: new Date(at("2026-03-12")) });
    expect(townB).toMatchObject({ unitId: "town-b", response: { numerator: 0, denominator: 0, rate: null } });
  });

  it("ranks towns and departments into a red and a black list", () => {
    const { ranking, red, black } = rankSubjects(project(), { month: "2026-03", asOf: new Date(at("2026-04-15")), size: 1 });
    expect(ranking.map((s) => [s.id, s.score])).toEqual([
      ["chengguan", 55.6], // response 2/3 (a1, a5 in time; a2 late), resolution 1/2, satisfaction 1/2
      ["dept-market", 50], // response 1/2 (a3 in time, a7 late); nothing taken on; only an unreachable call-back
      ["xinzhen", 0], // a4 unanswered past due
    ]);
    expect(red.map((s) => s.id)).toEqual(["chengguan"]);
    expect(black.map((s) => s.id)).toEqual(["xinzhen"]);
    expect(ranking[0]).toMatchObject({ kind: "town", clues: 2 }); // c6 was opened in February
  });
});

describe("conduct clues in the ranking (rule 10)", () => {
  const pattern = (clueId: string, mode: "open" | "supplement", day: string): LifecycleEvent => ({
    event: "conduct.pattern-detected",
    clueId,
    occurredAt: at(day),
    actor: { kind: "system", id: "conduct-watch" },
    mode,
    department: "dept-market",
    kinds: ["overdue"],
    window: { from: at("2026-02-20"), to: at(day), days: 30 },
    thresholds: { overdue: 3, dissatisfied: 3, returnsUpheld: 2 },
    evidence: [
      { id: "overdue:a7", kind: "overdue", department: "dept-market", clueId: "c7", occurredAt: at(day), detail: "a7 overdue" },
    ],
  });

  it("counts the conduct clues opened about a department in the month, not the supplements", () => {
    const projection = project();
    for (const event of [
      pattern("k1", "open", "2026-03-18"),
      pattern("k1", "supplement", "2026-03-19"),
      pattern("k2", "open", "2026-04-20"),
    ])
      projection.apply(event);
    const { ranking } = rankSubjects(projection, { month: "2026-03", asOf: new Date(at("2026-04-15")), size: 1 });
    expect(ranking.map((s) => [s.id, s.conductClues])).toEqual([
      ["chengguan", 0],
      ["dept-market", 1],
      ["xinzhen", 0],
    ]);
  });
});

describe("upheld returns, redos and overdue supervision orders in the ranking (DESIGN §7)", () => {
  const base = (clueId: string, day: string) => ({ clueId, occurredAt: at(day), actor });
  const decided = (
    clueId: string,
    a: ReturnType<typeof ref>,
    day: string,
    decision: "upheld" | "reassigned",
  ): LifecycleEvent => ({
    ...base(clueId, day),
    event: "assignment.return-decided",
    assignment: a,
    from: "returned",
    to: decision === "upheld" ? "assigned" : "reassigned",
    returnId: `r-${clueId}-${day}`,
    kind: "return",
    decision,
    reassignedTo: decision === "upheld" ? null : "town-b",
  });
  const redo = (clueId: string, day: string): LifecycleEvent => ({
    ...base(clueId, day),
    event: "clue.redo-ordered",
    from: "fed-back",
    basis: "review",
    leadUnits: ["town-a"],
    redoCount: 1,
  });
  const escalated = (clueId: string, day: string): LifecycleEvent => ({
    ...base(clueId, day),
    event: "supervision.escalated",
    orderId: `o-${clueId}`,
    unitId: "town-a",
    leaderId: null,
    answerDueOn: "2026-03-20",
  });

  it("counts each in the month on the subject's clues and takes two points off the score for each", () => {
    const projection = project();
    // Returns of assignments this data set does not otherwise follow, so that the rates stay as above.
    const returned = ref("a9", "town-c");
    for (const event of [
      decided("c2", returned, "2026-03-05", "upheld"),
      decided("c2", returned, "2026-03-06", "reassigned"), // a reassignment is no failure of the unit's
      redo("c1", "2026-03-21"),
      escalated("c2", "2026-03-24"),
      redo("c1", "2026-04-03"), // April
      decided("c3", ref("a10", "dept-market"), "2026-03-07", "upheld"),
    ])
      projection.apply(event);
    const { ranking } = rankSubjects(projection, { month: "2026-03", asOf: new Date(at("2026-04-15")), size: 1 });
    expect(ranking.map((s) => [s.id, s.score, s.returnsUpheld, s.redos, s.supervisionOverdue])).toEqual([
      ["chengguan", 49.6, 1, 1, 1], // 55.6 − 3 × 2
      ["dept-market", 48, 1, 0, 0], // 50 − 2
      ["xinzhen", 0, 0, 0, 0],
    ]);
  });

  it("never scores below 0", () => {
    const projection = project();
    projection.apply(redo("c4", "2026-03-31"));
    const { ranking } = rankSubjects(projection, { month: "2026-03", asOf: new Date(at("2026-04-15")), size: 1 });
    expect(ranking.find((s) => s.id === "xinzhen")).toMatchObject({ score: 0, redos: 1 });
  });
});
