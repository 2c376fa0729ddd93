import { describe, expect, it } from "vitest";
import type { Due } from "../../deadlines/deadline-clock.js";
import { deadlineRow } from "./deadline-rows.js";

const owner = { clueId: "c-1", assignmentId: "a-1", unitId: "town-chengguan" };
const start = { from: new Date("2026-03-02T02:00:00.000Z"), days: 5, unit: "working-days" } as const;

describe("deadlineRow", () => {
  it("arms the reminder first when it comes before the due moment", () => {
    const due: Due = {
      start,
      missingYear: null,
      dueOn: "2026-03-09",
      dueAt: new Date("2026-03-09T16:00:00.000Z"),
      remindAt: new Date("2026-03-08T16:00:00.000Z"),
    };
    expect(deadlineRow(owner, "accept", due)).toEqual({
      clueId: "c-1",
      assignmentId: "a-1",
      unitId: "town-chengguan",
      kind: "accept",
      due_on: "2026-03-09",
      stage: "pending",
      due_at: "2026-03-09T16:00:00.000Z",
      remind_at: "2026-03-08T16:00:00.000Z",
      next_at: "2026-03-08T16:00:00.000Z",
      clock_from: "2026-03-02T02:00:00.000Z",
      clock_days: 5,
      clock_unit: "working-days",
      calendar_missing_year: null,
    });
  });

  it("skips straight to the overdue when the reminder would not come first", () => {
    const at = new Date("2026-03-09T16:00:00.000Z");
    const row = deadlineRow(owner, "conclude", { start, missingYear: null, dueOn: "2026-03-09", dueAt: at, remindAt: at });
    expect(row).toMatchObject({ stage: "reminded", remind_at: at.toISOString(), next_at: at.toISOString() });
  });

  it("keeps a calendar-pending clock's start and count, with no reminder, armed at its due moment if known", () => {
    const pending = deadlineRow({ ...owner, assignmentId: null }, "acceptance-notice", {
      start,
      missingYear: 2027,
      dueOn: null,
      dueAt: null,
      remindAt: null,
    });
    expect(pending).toMatchObject({ stage: "pending", due_on: null, due_at: null, remind_at: null, next_at: null });
    expect(pending).toMatchObject({ assignmentId: null, calendar_missing_year: 2027, clock_days: 5, clock_unit: "working-days" });
    const calendarDays = deadlineRow(owner, "conclude", {
      start: { ...start, unit: "calendar-days" },
      missingYear: 2027,
      dueOn: "2027-01-05",
      dueAt: new Date("2027-01-05T16:00:00.000Z"),
      remindAt: null,
    });
    expect(calendarDays).toMatchObject({ stage: "pending", remind_at: null, next_at: "2027-01-05T16:00:00.000Z" });
  });
});
