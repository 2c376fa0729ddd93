// Prints a deadline's due date: `tsx services/closure/src/deadline-cli.ts --from 2026-02-13 --working-days 5`.
// The only file of the calendar with side effects; the logic (and its exit codes) is in calendar/deadline-command.ts.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { loadChineseDaysSource } from "./calendar/chinese-days-source.js";
import { runDeadlineCommand } from "./calendar/deadline-command.js";

const result = await runDeadlineCommand({
  argv: process.argv.slice(2),
  base: loadChineseDaysSource(),
  // Resolved from this file, not the working directory, so it holds from src/ under tsx and from dist/ alike.
  defaultCalendarFile: fileURLToPath(new URL("../calendar/local.yaml", import.meta.url)),
  readFile: (path) => readFile(path, "utf8"),
});
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.exitCode;
