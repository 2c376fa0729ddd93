import { describe, expect, it } from "vitest";
import { foldAssigned } from "./fold-assigned.js";
import type { LedgerEvent } from "./ledger-event.js";

const at = "2026-12-02T08:00:00.000Z";
const router = { kind: "system", id: "router" } as const;

const opened = (clueId: string): LedgerEvent => ({
  event: "clue.opened",
  clueId,
  occurredAt: at,
  actor: router,
  complaintId: `complaint-${clueId}`,
  nature: "service",
  categories: ["permits"],
  channel: "hotline",
  reporterKind: "anonymous",
  receivedAt: at,
  subjects: { departments: [], towns: [] },
  transfer: null,
  informed: [],
  acceptanceNoticeDueOn: null,
});

const assigned = (clueId: string, unitId: string, overrides: Partial<LedgerEvent> = {}): LedgerEvent =>
  ({
    event: "assignment.assigned",
    clueId,
    occurredAt: at,
    actor: router,
    assignment: { assignmentId: `a-${clueId}-${unitId}`, unitId, role: "lead", track: "service" },
    cause: "routing",
    acceptDueOn: "2026-12-04",
    concludeDueOn: null,
    ...overrides,
  }) as LedgerEvent;

const entry = (event: LedgerEvent, eventId: string, note: string | null = null) => ({ event, eventId, note });

describe("foldAssigned", () => {
  it("stores a clue's assignments in its opening's row, each with its own event id and only its own fields", () => {
    const rows = foldAssigned([
      entry(opened("c1"), "e1"),
      entry(assigned("c1", "town-a"), "e2"),
      entry(assigned("c1", "town-b"), "e3"),
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.eventId).toBe("e1");
    expect(rows[0]?.assigned).toEqual([
      {
        eventId: "e2",
        assignment: { assignmentId: "a-c1-town-a", unitId: "town-a", role: "lead", track: "service" },
        cause: "routing",
        acceptDueOn: "2026-12-04",
        concludeDueOn: null,
      },
      {
        eventId: "e3",
        assignment: { assignmentId: "a-c1-town-b", unitId: "town-b", role: "lead", track: "service" },
        cause: "routing",
        acceptDueOn: "2026-12-04",
        concludeDueOn: null,
      },
    ]);
  });

  it("folds across other clues' events, which keep their own rows and order", () => {
    const rows = foldAssigned([
      entry(opened("c1"), "e1"),
      entry(opened("c2"), "e2"),
      entry(assigned("c1", "town-a"), "e3"),
      entry(assigned("c2", "town-b"), "e4"),
    ]);
    expect(rows.map((row) => [row.eventId, row.assigned?.map((a) => a.eventId) ?? null])).toEqual([
      ["e1", ["e3"]],
      ["e2", ["e4"]],
    ]);
  });

  it("keeps a row of its own for what would not read back the same or would change the clue's order", () => {
    const rows = foldAssigned([
      // No opening before it in this batch (a re-routing assigns without opening).
      entry(assigned("c0", "town-a"), "e0"),
      entry(opened("c1"), "e1"),
      entry(assigned("c1", "town-a", { occurredAt: "2026-12-02T08:00:01.000Z" }), "e2"),
      entry(assigned("c1", "town-b", { actor: { kind: "operator", id: "op-1" } }), "e3"),
      entry(assigned("c1", "town-c"), "e4", "a note"),
      entry(opened("c2"), "e5"),
      {
        event: { ...assigned("c2", "town-a"), event: "assignment.accepted" } as unknown as LedgerEvent,
        eventId: "e6",
        note: null,
      },
      // After another event of c2, folding would move this assignment before it.
      entry(assigned("c2", "town-b"), "e7"),
    ]);
    expect(rows.map((row) => [row.eventId, row.assigned])).toEqual([
      ["e0", null],
      ["e1", null],
      ["e2", null],
      ["e3", null],
      ["e4", null],
      ["e5", null],
      ["e6", null],
      ["e7", null],
    ]);
  });
});
