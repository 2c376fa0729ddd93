import { uniqueIds } from "./cross-check-bodies.js";
import type { RawProblem } from "./directory-invalid.js";
import { looseEntries, looseString, looseStrings } from "./loose-view.js";

/**
 * Checks the leaders (包抓领导): unique ids, and every unit a leader oversees a unit of the directory, overseen by
 * one leader only, so that an unanswered supervision order escalates to exactly one person.
 */
export function crossCheckLeaders(raw: unknown): RawProblem[] {
  const problems: RawProblem[] = [];
  const leaders = looseEntries(raw, "leaders");
  uniqueIds({ problems, collection: "leaders", entries: leaders, key: "id" });
  const unitIds = new Set(looseEntries(raw, "units").flatMap((unit) => looseString(unit.value, "id") ?? []));
  const overseenBy = new Map<string, string>();
  for (const leader of leaders) {
    const leaderId = looseString(leader.value, "id") ?? `leaders[${leader.index}]`;
    for (const unit of looseStrings(leader.value, "oversees")) {
      const path = ["leaders", leader.index, "oversees", unit.index];
      const other = overseenBy.get(unit.value);
      if (!unitIds.has(unit.value)) problems.push({ path, reason: `unknown unit "${unit.value}"` });
      else if (other !== undefined) problems.push({ path, reason: `unit "${unit.value}" is already overseen by "${other}"` });
      else overseenBy.set(unit.value, leaderId);
    }
  }
  return problems;
}
