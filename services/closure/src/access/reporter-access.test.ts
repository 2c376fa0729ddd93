import type { AssignmentState } from "@clueline/contracts";
import { describe, expect, it } from "vitest";
import { type CluePart, decideReporterAccess, type ReporterClueFacts } from "./reporter-access.js";

/** Who calls: a unit of either kind, the commission, a hotline operator (with or without a call-back due), others. */
const callerKinds = [
  "commission",
  "discipline-body",
  "department",
  "hotline-due",
  "hotline-not-due",
  "downstream:read",
  "media:write",
] as const;
const tracks = ["discipline", "service", "transfer"] as const;
const roles = ["lead", "assist", "informed", "none"] as const;
/** `superseded`: concluded, and the commission has since taken the clue over by escalation. */
const standings = ["holding", "handed-on", "superseded"] as const;
/** How the caller's unit came onto the clue: the router's decision, or a unit's transfer inside the district. */
const arrivals = ["routing", "transfer"] as const;

type Cell = {
  kind: (typeof callerKinds)[number];
  track: (typeof tracks)[number];
  role: (typeof roles)[number];
  standing: (typeof standings)[number];
  arrival: (typeof arrivals)[number];
  piiRead: boolean;
  subject: boolean;
};

const product = <T extends Record<string, readonly unknown[]>>(axes: T) =>
  Object.entries(axes).reduce<Record<string, unknown>[]>(
    (cells, [name, values]) => cells.flatMap((cell) => values.map((value) => ({ ...cell, [name]: value }))),
    [{}],
  ) as { [K in keyof T]: T[K][number] }[];

/**
 * DESIGN §8's table, written out as its rows: which cells a caller of each kind may open. Derived from the table's
 * words, not from the code under test.
 */
const tableAllows: Record<Cell["kind"], (cell: Cell) => boolean> = {
  commission: () => true,
  "discipline-body": (cell) =>
    cell.track === "discipline" && cell.role === "lead" && cell.standing === "holding" && !cell.subject,
  department: () => false,
  "hotline-due": () => true,
  "hotline-not-due": () => false,
  "downstream:read": () => false,
  "media:write": () => false,
};

/** Cells the ledger cannot hold: the router gives departments no discipline assignment, and no assignment outside the district. */
const possible = (cell: Cell) =>
  !(cell.kind === "department" && cell.track === "discipline" && cell.role !== "informed" && cell.arrival === "routing") &&
  !(cell.track === "transfer" && cell.role !== "informed" && (cell.arrival === "transfer" || cell.standing !== "holding")) &&
  !(cell.role === "informed" && (cell.arrival === "transfer" || cell.standing !== "holding"));

const UNIT = "unit-x";
const stateOf: Record<Cell["standing"], AssignmentState> = {
  holding: "accepted",
  "handed-on": "transferred",
  superseded: "concluded",
};

/** The caller's scopes and a clue on which the caller's unit stands where the cell says, among other units. */
function factsOf(cell: Cell) {
  const scope = {
    commission: "commission",
    "discipline-body": `unit:${UNIT}`,
    department: `unit:${UNIT}`,
    "hotline-due": "complaint:write",
    "hotline-not-due": "complaint:write",
    "downstream:read": "downstream:read",
    "media:write": "media:write",
  }[cell.kind];
  const mine: CluePart[] =
    cell.role === "none"
      ? []
      : [
          {
            unitId: UNIT,
            track: cell.role === "informed" ? null : cell.track,
            role: cell.role,
            state: cell.role === "informed" || cell.track === "transfer" ? null : stateOf[cell.standing],
            cause: cell.role === "informed" || cell.track === "transfer" ? null : cell.arrival,
          },
        ];
  const others: CluePart[] = [
    { unitId: "town-other", track: "discipline", role: "assist", state: "accepted", cause: "routing" },
    { unitId: "dc", track: null, role: "informed", state: null, cause: null },
    ...(cell.standing === "superseded"
      ? [{ unitId: "dc", track: "discipline", role: "lead", state: "assigned", cause: "escalation" } as const]
      : []),
  ];
  const clue: ReporterClueFacts = {
    parts: [...mine, ...others],
    subjects: cell.subject ? [UNIT, "dept-other"] : ["dept-other"],
    callBackDue: cell.kind === "hotline-due",
  };
  const scopes = new Set([scope, ...(cell.piiRead ? ["pii:read"] : [])]);
  const disciplineBodies = new Set(cell.kind === "discipline-body" ? [UNIT] : []);
  return { caller: { subject: "s", scopes }, clue, disciplineBodies };
}

const cells = product({
  kind: callerKinds,
  track: tracks,
  role: roles,
  standing: standings,
  arrival: arrivals,
  piiRead: [true, false],
  subject: [true, false],
}).filter(possible);

describe("who may open a reporter's identity (DESIGN §8)", () => {
  it("answers every cell of caller kind × track × role × standing × arrival × pii:read × subject as the table says", () => {
    expect(cells.length).toBeGreaterThan(1_000);
    const wrong = cells.flatMap((cell) => {
      const access = decideReporterAccess(factsOf(cell));
      const want = !cell.piiRead ? 403 : tableAllows[cell.kind](cell) ? 200 : 404;
      const got = access.allowed ? 200 : access.status;
      return got === want ? [] : [`${JSON.stringify(cell)}: ${got}, expected ${want}`];
    });
    expect(wrong).toEqual([]);
  });

  it("opens for some cells of each granting kind, so the table is not vacuously refusing", () => {
    const allowed = cells.filter((cell) => decideReporterAccess(factsOf(cell)).allowed);
    expect(new Set(allowed.map((cell) => cell.kind))).toEqual(new Set(["commission", "discipline-body", "hotline-due"]));
  });

  it("hides a clue that does not exist like one the caller may not open, and asks for pii:read first", () => {
    const caller = { subject: "s", scopes: new Set(["commission", "pii:read"]) };
    expect(decideReporterAccess({ caller, clue: null, disciplineBodies: new Set() })).toEqual({ allowed: false, status: 404 });
    const without = { subject: "s", scopes: new Set(["commission"]) };
    expect(decideReporterAccess({ caller: without, clue: null, disciplineBodies: new Set() })).toEqual({
      allowed: false,
      status: 403,
    });
  });

  it("lets one of several unit scopes qualify, and no department among them", () => {
    const { clue, disciplineBodies } = factsOf({
      kind: "discipline-body",
      track: "discipline",
      role: "lead",
      standing: "holding",
      arrival: "routing",
      piiRead: true,
      subject: false,
    });
    const caller = { subject: "s", scopes: new Set(["unit:dept-other", `unit:${UNIT}`, "pii:read"]) };
    expect(decideReporterAccess({ caller, clue, disciplineBodies })).toEqual({ allowed: true, basis: "discipline-lead" });
    const department = { subject: "s", scopes: new Set(["unit:dept-other", "unit:town-other", "pii:read"]) };
    expect(decideReporterAccess({ caller: department, clue, disciplineBodies })).toEqual({ allowed: false, status: 404 });
  });
});
