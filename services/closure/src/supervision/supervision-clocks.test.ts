import { describe, expect, it } from "vitest";
import { startOfShanghaiDay } from "../deadlines/deadline-clock.js";
import { testDeadlines, testDirectory } from "../testing/fixtures.js";
import { createSupervisionClocks, extendedDue } from "./supervision-clocks.js";

// 2026: the Spring Festival holiday runs 02-15…02-23, and Saturday 02-14 is a make-up working day (调休).
describe("supervision clocks on the statutory calendar", () => {
  const deadlines = testDeadlines();

  it("gives an order its answer day in working days, a make-up Saturday counted and the holiday not", () => {
    const supervision = createSupervisionClocks({ deadlines, directory: testDirectory });
    const due = supervision.answerDue(new Date("2026-02-12T10:00:00+08:00"));
    expect(due.dueOn).toBe("2026-02-26"); // 13, 14 (Saturday, worked), 24, 25, 26
    expect(due.dueAt).toEqual(new Date("2026-02-27T00:00:00+08:00"));
  });

  it("follows the directory in force: its answer period and its leaders", () => {
    let directory = testDirectory();
    const supervision = createSupervisionClocks({ deadlines, directory: () => directory });
    expect(supervision.leaderOf("town-chengguan")).toBe("leader-executive-deputy-mayor");
    expect(supervision.leaderOf("town-xiliu")).toBe("leader-organization-head");
    expect(supervision.leaderOf("no-such-unit")).toBeNull();
    directory = { ...directory, supervisionAnswerWorkingDays: 1 };
    expect(supervision.answerDue(new Date("2026-02-13T10:00:00+08:00")).dueOn).toBe("2026-02-14");
  });

  it("moves an extended clock by working days past its due day, and its reminder with it", () => {
    expect(extendedDue(deadlines, { dueOn: "2026-02-13", workingDays: 1 }).dueOn).toBe("2026-02-14");
    const due = extendedDue(deadlines, { dueOn: "2026-02-12", workingDays: 3 });
    expect(due.dueOn).toBe("2026-02-24"); // 13, 14, then nothing until after the holiday
    expect(due.remindAt).toEqual(startOfShanghaiDay("2026-02-14")); // one working day before
    expect(extendedDue(deadlines, { dueOn: "2026-03-09", workingDays: 5 }).dueOn).toBe("2026-03-16");
  });
});
