import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * Who writes each table of the ledger (issue #16): one folder (or file) per table, so a reader finds a table's
 * owner from the folder names and a new write lands where the others are. Reads may live with the queries that use
 * them; writes (`insert into`, `update … set`, `delete from`) may not. The migrations' tables must all be here.
 */
const owners: Record<string, string> = {
  clues: "ledger/clues/",
  clue_units: "ledger/clues/",
  clue_supplements: "ledger/clues/",
  assignments: "ledger/assignments/",
  // Written only by the trigger on assignments (the discipline_bodies migration).
  discipline_bodies: "ledger/assignments/",
  deadlines: "ledger/deadlines/",
  ledger_events: "ledger/events/",
  inbox: "ledger/events/",
  ledger_outbox: "outbox/",
  ledger_outbox_statements: "outbox/",
  call_backs: "ledger/feedback/",
  classifications: "classification/",
  clue_evidence: "evidence/",
  returns: "returns/",
  supervision_orders: "supervision/",
  extension_requests: "supervision/",
  conduct_clues: "conduct/",
  service_failures: "conduct/",
  leases: "db/lease.ts",
};

/**
 * The one statement a group commit writes its unit actions with (see the file): an assignment's change, the clocks
 * it meets, its event and a clue's conclusion together, because a statement's fixed cost was most of an action's.
 */
const groupCommit = "ledger/assignments/assignment-change-buffer.ts";
const alsoWrittenBy: Record<string, string[]> = {
  clues: [groupCommit],
  deadlines: [groupCommit],
  ledger_events: [groupCommit],
};

const src = dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** Each table a source file writes, by its statements' text. */
function writesOf(text: string): Set<string> {
  const tables = new Set<string>();
  for (const match of text.matchAll(
    /\b(?:insert\s+into|delete\s+from)\s+([a-z_]+)|\bupdate\s+([a-z_]+)(?:\s+[a-z]\b)?\s+set\b/g,
  )) {
    tables.add((match[1] ?? match[2]) as string);
  }
  return tables;
}

const writers = new Map<string, string[]>();
for (const file of sourceFiles(src)) {
  const path = relative(src, file);
  for (const table of writesOf(readFileSync(file, "utf8"))) writers.set(table, [...(writers.get(table) ?? []), path]);
}

describe("the ledger's tables and their owners", () => {
  it("finds the statements it looks for", () => {
    expect([...writesOf("insert into clues (a) values (1); update deadlines d set x = 1; delete from inbox where")]).toEqual([
      "clues",
      "deadlines",
      "inbox",
    ]);
    expect(writers.get("clues")?.length).toBeGreaterThan(0);
  });

  it("gives every table the migrations create an owner", () => {
    const migrations = join(src, "..", "migrations");
    const created = readdirSync(migrations).flatMap((name) =>
      [...readFileSync(join(migrations, name), "utf8").matchAll(/create table (?:if not exists )?([a-z_]+)/gi)].map(
        (match) => match[1] as string,
      ),
    );
    expect(created.length).toBeGreaterThan(10);
    expect(created.filter((table) => !(table in owners))).toEqual([]);
  });

  it.each(Object.entries(owners))("writes %s only in %s", (table, owner) => {
    const strangers = (writers.get(table) ?? []).filter(
      (path) => !path.startsWith(owner) && !(alsoWrittenBy[table] ?? []).includes(path),
    );
    expect(strangers).toEqual([]);
  });
});
