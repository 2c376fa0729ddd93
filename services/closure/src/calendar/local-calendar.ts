import { parseDocument } from "yaml";
import { z } from "zod";
import { CalendarDate } from "./calendar-date.js";
import { CalendarFileInvalid, type CalendarFileIssue } from "./errors.js";

/** Names the misspelt field and the expected ones: zod's default message does not say what was expected. */
function unknownFields(expected: string) {
  return (issue: z.core.$ZodRawIssue) =>
    issue.code === "unrecognized_keys" ? `unknown field ${issue.keys.join(", ")}; expected ${expected}` : undefined;
}

// A note is required so that every local change says why (the holiday, or the local notice behind it).
const DayNotes = z.record(
  CalendarDate,
  z.string({ error: "expected a note saying why, e.g. 春节 or the local notice" }).min(1, "the note is empty"),
);

const LocalYear = z.strictObject(
  {
    /** The year is fully described here: required for a year chinese-days lacks, harmless for one it has. */
    complete: z.boolean().default(false),
    /** Days off on top of the statutory ones (or for a year chinese-days lacks, all of them). */
    holidays: DayNotes.default({}),
    /** Working days, e.g. make-up weekends (调休上班), or a statutory day off that a local order cancels. */
    workingDays: DayNotes.default({}),
  },
  { error: unknownFields("complete, holidays, workingDays") },
);

/** The operator file (`services/closure/calendar/local.yaml`): local changes that override chinese-days. */
export const LocalCalendar = z
  .strictObject(
    { years: z.record(z.string().regex(/^[1-9]\d{3}$/, "expected a four-digit year"), LocalYear).default({}) },
    { error: unknownFields("years") },
  )
  .superRefine((file, ctx) => {
    for (const [year, entry] of Object.entries(file.years)) {
      for (const kind of ["holidays", "workingDays"] as const) {
        for (const date of Object.keys(entry[kind])) {
          const path = ["years", year, kind, date];
          if (!date.startsWith(`${year}-`)) ctx.addIssue({ code: "custom", path, message: `date is not in ${year}` });
          if (kind === "workingDays" && date in entry.holidays) {
            ctx.addIssue({ code: "custom", path, message: "listed both as a holiday and as a working day" });
          }
        }
      }
    }
  });
export type LocalCalendar = z.infer<typeof LocalCalendar>;

/**
 * Parses the operator file (YAML, or JSON, which is YAML too). `source` names the file in errors.
 * Throws {@link CalendarFileInvalid} listing every problem with its path and reason.
 *
 * @example
 * const overrides = parseLocalCalendar(await readFile(path, "utf8"), path);
 */
export function parseLocalCalendar(text: string, source: string): LocalCalendar {
  // Duplicate keys are errors (uniqueKeys), so a date listed twice is reported instead of the last one winning.
  const document = parseDocument(text, { uniqueKeys: true });
  if (document.errors.length > 0) {
    const issues = document.errors.map((error) => ({
      path: error.linePos ? `line ${error.linePos[0].line}, column ${error.linePos[0].col}` : "(file)",
      // yaml repeats the position and appends a code excerpt; the path already says where.
      reason: (error.message.split("\n")[0] ?? error.code).replace(/ at line \d+, column \d+:?$/, ""),
    }));
    throw new CalendarFileInvalid({ source, issues, cause: document.errors[0] });
  }
  // A file holding only comments is an empty calendar, not an error.
  const result = LocalCalendar.safeParse(document.toJS() ?? {});
  if (result.success) return result.data;
  throw new CalendarFileInvalid({ source, issues: result.error.issues.map(toFileIssue), cause: result.error });
}

function toFileIssue(issue: z.core.$ZodIssue): CalendarFileIssue {
  const path = issue.path.length === 0 ? "(file)" : issue.path.map(String).join(".");
  // A bad record key (a misspelt date or year) carries the useful reason one level down.
  const reason = issue.code === "invalid_key" ? (issue.issues[0]?.message ?? issue.message) : issue.message;
  return { path, reason };
}
