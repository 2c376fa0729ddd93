import { describe, expect, it } from "vitest";
import { loadChineseDaysSource } from "./chinese-days-source.js";
import { runDeadlineCommand } from "./deadline-command.js";

const files: Record<string, string> = {
  "default.yaml": "years: {}\n",
  "with-2027.yaml": "years:\n  2027:\n    complete: true\n    holidays:\n      2027-01-01: 元旦\n",
  "broken.yaml": "years:\n  2027:\n    holidays:\n      2027-02-30: 春节\n",
};
const run = (...argv: string[]) =>
  runDeadlineCommand({
    argv,
    base: loadChineseDaysSource(),
    defaultCalendarFile: "default.yaml",
    readFile: async (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: ${path}`);
      return text;
    },
  });

describe("runDeadlineCommand", () => {
  it("prints the due date alone", async () => {
    expect(await run("--from", "2026-02-13", "--working-days", "5")).toEqual({ exitCode: 0, stdout: "2026-02-27\n", stderr: "" });
  });

  it("uses --calendar over the default file", async () => {
    expect((await run("--from", "2026-12-31", "--working-days", "1", "--calendar", "with-2027.yaml")).stdout).toBe(
      "2027-01-04\n",
    );
  });

  it.each([
    [[], /--from: is required/],
    [["--from", "2026-02-13"], /--working-days: is required/],
    [["--from", "2026-02-30", "--working-days", "5"], /--from: not a real calendar date/],
    [["--from", "2026-02-13", "--working-days", "0"], /positive whole number/],
    [["--from", "2026-02-13", "--working-days", "-3"], /positive whole number|argument/],
    [["--from", "2026-02-13", "--working-days", "5", "--frm", "x"], /Unknown option '--frm'/],
    [["2026-02-13", "5"], /positional/],
  ])("refuses %j with usage and exit 2", async (argv, reason) => {
    const result = await run(...argv);
    expect(result).toMatchObject({ exitCode: 2, stdout: "" });
    expect(result.stderr).toMatch(reason);
    expect(result.stderr).toContain("usage: deadline --from <YYYY-MM-DD> --working-days <N>");
  });

  it("exits 3 naming the missing year", async () => {
    const result = await run("--from", "2026-12-31", "--working-days", "1");
    expect(result).toMatchObject({ exitCode: 3, stdout: "" });
    expect(result.stderr).toMatch(/No working-day calendar for 2027/);
  });

  it("exits 4 on an invalid or unreadable calendar file", async () => {
    const broken = await run("--from", "2026-02-13", "--working-days", "5", "--calendar", "broken.yaml");
    expect(broken).toMatchObject({ exitCode: 4, stdout: "" });
    expect(broken.stderr).toContain("years.2027.holidays.2027-02-30: not a real calendar date");
    expect((await run("--from", "2026-02-13", "--working-days", "5", "--calendar", "nope.yaml")).exitCode).toBe(4);
  });
});
