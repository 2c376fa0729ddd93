import { uniqueIds } from "./cross-check-bodies.js";
import type { RawProblem } from "./directory-invalid.js";
import { looseEntries, looseSection, looseString, looseStrings } from "./loose-view.js";
import { normalizeText } from "./normalize-text.js";

/**
 * Checks the words and the policy: category codes and owners, subject names that would be ambiguous to the
 * matcher, and policy references. A service category without an owner is fine: `serviceFallback` applies.
 */
export function crossCheckTaxonomy(raw: unknown): RawProblem[] {
  const problems: RawProblem[] = [];
  const departmentIds = new Set(looseEntries(raw, "departments").flatMap((d) => looseString(d.value, "id") ?? []));
  const externalIds = new Set(looseEntries(raw, "external").flatMap((e) => looseString(e.value, "id") ?? []));

  const categories = looseEntries(raw, "categories");
  uniqueIds({ problems, collection: "categories", entries: categories, key: "code" });
  for (const { index, value } of categories) {
    const kind = looseString(value, "kind");
    const owner = looseString(value, "owner");
    if (owner !== undefined && kind === "conduct") {
      problems.push({ path: ["categories", index, "owner"], reason: "only service categories have an owner" });
    } else if (owner !== undefined && !departmentIds.has(owner)) {
      problems.push({ path: ["categories", index, "owner"], reason: `unknown department "${owner}"` });
    }
    // Escalation acts on the discipline lead (rule 5); on a service category it would silently do nothing.
    if (value.escalate === true && kind === "service") {
      problems.push({ path: ["categories", index, "escalate"], reason: "only conduct categories can escalate" });
    }
    const keywords = new Set<string>();
    for (const keyword of looseStrings(value, "keywords")) {
      const word = normalizeText(keyword.value.trim());
      if (keywords.has(word))
        problems.push({ path: ["categories", index, "keywords", keyword.index], reason: `duplicate keyword "${keyword.value}"` });
      keywords.add(word);
    }
  }

  checkSubjectWords(raw, problems);

  const policy = looseSection(raw, "policy");
  const refs = [
    ["transferTo", externalIds, "external body"],
    ["serviceFallback", departmentIds, "department"],
    ["serviceOverseer", departmentIds, "department"],
  ] as const;
  for (const [key, known, what] of refs) {
    const id = looseString(policy, key);
    if (id !== undefined && !known.has(id)) problems.push({ path: ["policy", key], reason: `unknown ${what} "${id}"` });
  }
  const senior = new Set(looseStrings(policy, "seniorRanks").map((r) => r.value));
  for (const rank of looseStrings(policy, "transferRanks")) {
    if (senior.has(rank.value)) {
      problems.push({
        path: ["policy", "transferRanks", rank.index],
        reason: `rank "${rank.value}" is also in seniorRanks; a rank either escalates or transfers`,
      });
    }
  }
  return problems;
}

/** A name or alias may point at one department or town only, otherwise rule 2 could not pick a subject. */
function checkSubjectWords(raw: unknown, problems: RawProblem[]): void {
  const owners = new Map<string, { id: string; where: string }>();
  for (const collection of ["departments", "towns"] as const) {
    for (const { index, value } of looseEntries(raw, collection)) {
      const id = looseString(value, "id") ?? `${collection}[${index}]`;
      const words = [{ path: [collection, index, "name"], word: looseString(value, "name") }];
      for (const alias of looseStrings(value, "aliases"))
        words.push({ path: [collection, index, "aliases", alias.index], word: alias.value });
      for (const { path, word } of words) {
        if (word === undefined || word.trim() === "") continue;
        const key = normalizeText(word.trim());
        const owner = owners.get(key);
        if (owner === undefined) owners.set(key, { id: `${collection}:${id}`, where: `${collection}[${index}]` });
        else if (owner.id !== `${collection}:${id}`) problems.push({ path, reason: `"${word}" already names ${owner.where}` });
      }
    }
  }
}
