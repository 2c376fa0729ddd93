import { parseArgs } from "node:util";
import { z } from "zod";
import { CalendarDate } from "./calendar-date.js";
import type { CalendarSource } from "./calendar-source.js";
import { CalendarFileInvalid, CalendarYearMissing } from "./errors.js";
import { type LocalCalendar, parseLocalCalendar } from "./local-calendar.js";
import { createWorkingCalendar } from "./working-calendar.js";

export const DEADLINE_USAGE = `usage: deadline --from <YYYY-MM-DD> --working-days <N> [--calendar <file>]
  Prints the N-th working day after --from (which does not count) on the Chinese statutory calendar.
  --calendar  operator file with local changes (default: services/closure/calendar/local.yaml)
exit codes: 0 ok, 2 bad arguments, 3 a needed year has no calendar data, 4 calendar file unreadable or invalid
`;

/** The command line after parsing; `working-days` is a positive integer, because "due after 0 days" is no clock. */
export const DeadlineArgs = z.object({
  from: z.string({ error: "is required" }).pipe(CalendarDate),
  "working-days": z
    .string({ error: "is required" })
    .regex(/^[1-9]\d{0,5}$/, "expected a positive whole number")
    .transform(Number),
  calendar: z.string().min(1).optional(),
});
export type DeadlineArgs = z.infer<typeof DeadlineArgs>;

export type DeadlineCommandResult = { exitCode: 0 | 2 | 3 | 4; stdout: string; stderr: string };

export type DeadlineCommandOptions = {
  argv: readonly string[];
  base: CalendarSource;
  /** Read when `--calendar` is not given. */
  defaultCalendarFile: string;
  readFile: (path: string) => Promise<string>;
};

/**
 * The deadline CLI without the process: parses arguments, loads the operator file, prints the due date.
 *
 * @example
 * await runDeadlineCommand({ argv: ["--from", "2026-02-13", "--working-days", "5"], base, defaultCalendarFile, readFile });
 * // { exitCode: 0, stdout: "2026-02-27\n", stderr: "" }
 */
export async function runDeadlineCommand(options: DeadlineCommandOptions): Promise<DeadlineCommandResult> {
  const args = parseDeadlineArgs(options.argv);
  if (!args.ok) return { exitCode: 2, stdout: "", stderr: `deadline: ${args.reason}\n${DEADLINE_USAGE}` };
  const file = args.value.calendar ?? options.defaultCalendarFile;
  let overrides: LocalCalendar;
  try {
    overrides = parseLocalCalendar(await options.readFile(file), file);
  } catch (error) {
    const reason = error instanceof CalendarFileInvalid ? error.message : `cannot read calendar file ${file}: ${String(error)}`;
    return { exitCode: 4, stdout: "", stderr: `deadline: ${reason}\n` };
  }
  try {
    const calendar = createWorkingCalendar({ base: options.base, overrides });
    return { exitCode: 0, stdout: `${calendar.addWorkingDays(args.value.from, args.value["working-days"])}\n`, stderr: "" };
  } catch (error) {
    if (error instanceof CalendarYearMissing) return { exitCode: 3, stdout: "", stderr: `deadline: ${error.message}\n` };
    throw error;
  }
}

function parseDeadlineArgs(argv: readonly string[]): { ok: true; value: DeadlineArgs } | { ok: false; reason: string } {
  let values: Record<string, unknown>;
  try {
    const options = { from: { type: "string" }, "working-days": { type: "string" }, calendar: { type: "string" } } as const;
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  const result = DeadlineArgs.safeParse(values);
  if (result.success) return { ok: true, value: result.data };
  const reasons = result.error.issues.map((issue) => `--${issue.path.map(String).join(".")}: ${issue.message}`);
  return { ok: false, reason: reasons.join("; ") };
}
