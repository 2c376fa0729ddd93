import { describe, expect, it } from "vitest";
import type { AssignmentRow } from "../assignments/assignments-table.js";
import type { OpenedClueRow } from "../clues/clues-table.js";
import type { FoldedAssigned } from "./fold-assigned.js";
import { leanAssigned, leanOpening, openingRowsOf } from "./lean-opening.js";

const clue = {
  clue_id: "c1",
  complaint_id: "complaint-1",
  channel: "hotline",
  reporter_kind: "real-name",
  received_at: "2026-03-02T01:58:00.000Z",
} as OpenedClueRow;

const opening = {
  actor: { kind: "system", id: "router" },
  nature: "discipline",
  complaintId: "complaint-1",
  channel: "hotline",
  reporterKind: "real-name",
  receivedAt: "2026-03-02T01:58:00.000Z",
  informed: ["dc"],
};

const row: AssignmentRow = {
  assignment_id: "a1",
  clue_id: "c1",
  unit_id: "town-a",
  role: "lead",
  track: "discipline",
  cause: "routing",
  assigned_at: "2026-03-02T02:00:00.000Z",
  accept_due_on: "2026-03-09",
  conclude_due_on: null,
};

const folded: FoldedAssigned = {
  eventId: "e2",
  assignment: { assignmentId: "a1", unitId: "town-a", role: "lead", track: "discipline" },
  cause: "routing",
  acceptDueOn: "2026-03-09",
  concludeDueOn: null,
};

describe("leanOpening", () => {
  it("leaves to the clue row the facts it holds for good, and keeps the rest", () => {
    expect(leanOpening(opening, clue)).toEqual({ actor: opening.actor, nature: "discipline", informed: ["dc"] });
  });

  it("keeps each fact the clue row would not give back as it is", () => {
    const offset = { ...clue, received_at: "2026-03-02T09:58:00+08:00" };
    expect(leanOpening({ ...opening, receivedAt: offset.received_at }, offset)).toHaveProperty("receivedAt", offset.received_at);
    const micro = { ...clue, received_at: "2026-03-02T01:58:00.000001Z" };
    expect(leanOpening({ ...opening, receivedAt: micro.received_at }, micro)).toHaveProperty("receivedAt");
    expect(leanOpening({ ...opening, receivedAt: "2026-03-02T01:58:00.001Z" }, clue)).toHaveProperty("receivedAt");
    expect(leanOpening({ ...opening, channel: "media", complaintId: "other" }, clue)).toMatchObject({
      channel: "media",
      complaintId: "other",
    });
    expect(leanOpening({ ...opening, reporterKind: "anonymous" }, clue)).toHaveProperty("reporterKind", "anonymous");
  });
});

describe("leanAssigned", () => {
  const rows = openingRowsOf({ clues: [clue], assignments: [row] });

  it("keeps the event id, the assignment's id and its due dates, which change later on the row", () => {
    expect(leanAssigned(folded, rows)).toStrictEqual({
      eventId: "e2",
      assignmentId: "a1",
      acceptDueOn: "2026-03-09",
      concludeDueOn: null,
    });
  });

  it("keeps what differs from the row, and everything when the row is not written with it", () => {
    const elsewhere = { ...folded, assignment: { ...folded.assignment, unitId: "town-b" }, cause: "transfer" as const };
    expect(leanAssigned(elsewhere, rows)).toMatchObject({ assignment: elsewhere.assignment, cause: "transfer" });
    const unknown = { ...folded, assignment: { ...folded.assignment, assignmentId: "a9" } };
    expect(leanAssigned(unknown, rows)).toBe(unknown);
  });
});
