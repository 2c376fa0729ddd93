import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CalendarFileInvalid, type CalendarFileIssue } from "./errors.js";
import { parseLocalCalendar } from "./local-calendar.js";

function issuesOf(text: string): CalendarFileIssue[] {
  try {
    parseLocalCalendar(text, "local.yaml");
  } catch (error) {
    if (error instanceof CalendarFileInvalid) return [...error.issues];
    throw error;
  }
  throw new Error("expected the file to be refused");
}

describe("parseLocalCalendar", () => {
  it("reads years, notes and defaults", () => {
    const file = parseLocalCalendar(
      "years:\n  2027:\n    complete: true\n    holidays:\n      2027-01-01: 元旦\n  2026:\n    workingDays:\n      2026-10-07: 值班\n",
      "local.yaml",
    );
    expect(file.years["2027"]).toEqual({ complete: true, holidays: { "2027-01-01": "元旦" }, workingDays: {} });
    expect(file.years["2026"]).toEqual({ complete: false, holidays: {}, workingDays: { "2026-10-07": "值班" } });
  });

  it("accepts JSON and a file of comments only", () => {
    expect(parseLocalCalendar('{"years":{"2027":{"complete":true}}}', "local.json").years["2027"]?.complete).toBe(true);
    expect(parseLocalCalendar("# nothing yet\n", "local.yaml")).toEqual({ years: {} });
  });

  it("accepts the shipped operator file", () => {
    const shipped = new URL("../../calendar/local.yaml", import.meta.url);
    expect(() => parseLocalCalendar(readFileSync(shipped, "utf8"), shipped.pathname)).not.toThrow();
  });

  it("reports every problem with its path and reason", () => {
    const text = [
      "years:",
      "  2027:",
      "    complete: yes please",
      "    holiday: {}",
      "    holidays:",
      "      2027-02-30: 春节",
      "      2026-12-31: 元旦",
      "      2027-02-06: 春节",
      "      2027-02-07:",
      "    workingDays:",
      "      2027-02-06: 调休",
      "  27: {}",
    ].join("\n");
    expect(issuesOf(text)).toEqual(
      expect.arrayContaining([
        { path: "years.2027.complete", reason: "Invalid input: expected boolean, received string" },
        { path: "years.2027", reason: "unknown field holiday; expected complete, holidays, workingDays" },
        { path: "years.2027.holidays.2027-02-30", reason: "not a real calendar date" },
        { path: "years.2027.holidays.2027-02-07", reason: "expected a note saying why, e.g. 春节 or the local notice" },
        { path: "years.27", reason: "expected a four-digit year" },
      ]),
    );
  });

  it("checks across fields once the shape is right", () => {
    const text =
      "years:\n  2027:\n    holidays:\n      2026-12-31: 元旦\n      2027-02-06: 春节\n    workingDays:\n      2027-02-06: 调休\n";
    expect(issuesOf(text)).toEqual([
      { path: "years.2027.holidays.2026-12-31", reason: "date is not in 2027" },
      { path: "years.2027.workingDays.2027-02-06", reason: "listed both as a holiday and as a working day" },
    ]);
  });

  it("reports YAML syntax errors and duplicate dates by line", () => {
    const [syntax] = issuesOf("years:\n  2027: [\n");
    expect(syntax?.path).toMatch(/^line \d+, column \d+$/);
    const [duplicate] = issuesOf("years:\n  2027:\n    holidays:\n      2027-01-01: a\n      2027-01-01: b\n");
    expect(duplicate).toEqual({ path: "line 5, column 7", reason: "Map keys must be unique" });
  });

  it("names the file in the error message", () => {
    expect(() => parseLocalCalendar("years: 3", "/etc/clueline/local.yaml")).toThrow(/\/etc\/clueline\/local\.yaml/);
  });
});
