import type { RawProblem } from "./directory-invalid.js";
import { type LooseEntry, looseEntries, looseString, looseStrings } from "./loose-view.js";

/**
 * Checks that units, departments, towns and external bodies fit together: unique ids, one district
 * commission, every reference resolving, every town with exactly one committee, every department with at
 * most one covering team.
 */
export function crossCheckBodies(raw: unknown): RawProblem[] {
  const problems: RawProblem[] = [];
  const units = looseEntries(raw, "units");
  const departments = looseEntries(raw, "departments");
  const towns = looseEntries(raw, "towns");
  const external = looseEntries(raw, "external");

  uniqueIds({ problems, collection: "towns", entries: towns, key: "id" });
  // Units, departments and external bodies are all addressed by id in decisions and unit streams
  // (clueline.unit.<id>.v1), so one id may name only one of them.
  const addressable = new Map<string, string>();
  for (const [collection, entries] of [
    ["units", units],
    ["departments", departments],
    ["external", external],
  ] as const) {
    uniqueIds({ problems, collection, entries, key: "id", seen: addressable });
  }

  const departmentById = byId(departments);
  const townIds = new Set(byId(towns).keys());
  const externalIds = new Set(byId(external).keys());

  const commissions = units.filter((u) => looseString(u.value, "kind") === "district-commission");
  if (commissions.length === 0)
    problems.push({ path: ["units"], reason: "needs exactly one district-commission unit, found none" });
  for (const extra of commissions.slice(1)) {
    problems.push({
      path: ["units", extra.index, "kind"],
      reason: "a second district-commission unit; there must be exactly one",
    });
  }

  const coveredBy = new Map<string, string>();
  const committeeOf = new Map<string, string>();
  for (const unit of units) {
    const unitId = looseString(unit.value, "id") ?? `units[${unit.index}]`;
    const kind = looseString(unit.value, "kind");
    if (kind === "stationed-team") {
      for (const covered of looseStrings(unit.value, "covers")) {
        const path = ["units", unit.index, "covers", covered.index];
        const department = departmentById.get(covered.value);
        if (department === undefined) problems.push({ path, reason: `unknown department "${covered.value}"` });
        else if (looseString(department, "external") !== undefined) {
          problems.push({ path, reason: `department "${covered.value}" is external (transferred out), no team covers it` });
        } else if (coveredBy.has(covered.value)) {
          problems.push({
            path,
            reason: `department "${covered.value}" is already covered by "${coveredBy.get(covered.value)}"`,
          });
        } else coveredBy.set(covered.value, unitId);
      }
    }
    if (kind === "town-committee") {
      const town = looseString(unit.value, "town");
      if (town === undefined) continue;
      const path = ["units", unit.index, "town"];
      if (!townIds.has(town)) problems.push({ path, reason: `unknown town "${town}"` });
      else if (committeeOf.has(town))
        problems.push({ path, reason: `town "${town}" already has committee "${committeeOf.get(town)}"` });
      else committeeOf.set(town, unitId);
    }
  }
  for (const town of towns) {
    const id = looseString(town.value, "id");
    if (id !== undefined && !committeeOf.has(id))
      problems.push({ path: ["towns", town.index], reason: `town "${id}" has no town-committee unit` });
  }
  for (const department of departments) {
    const body = looseString(department.value, "external");
    if (body !== undefined && !externalIds.has(body)) {
      problems.push({ path: ["departments", department.index, "external"], reason: `unknown external body "${body}"` });
    }
  }
  return problems;
}

function byId(entries: readonly LooseEntry[]): Map<string, LooseEntry["value"]> {
  const map = new Map<string, LooseEntry["value"]>();
  for (const entry of entries) {
    const id = looseString(entry.value, "id");
    if (id !== undefined && !map.has(id)) map.set(id, entry.value);
  }
  return map;
}

/** Reports every repeat of an id; `seen` spans several collections when ids must be unique across them. */
export function uniqueIds(params: {
  problems: RawProblem[];
  collection: string;
  entries: readonly LooseEntry[];
  key: string;
  seen?: Map<string, string>;
}): void {
  const seen = params.seen ?? new Map<string, string>();
  for (const entry of params.entries) {
    const id = looseString(entry.value, params.key);
    if (id === undefined) continue;
    const here = `${params.collection}[${entry.index}]`;
    const first = seen.get(id);
    if (first === undefined) seen.set(id, here);
    else
      params.problems.push({
        path: [params.collection, entry.index, params.key],
        reason: `duplicate ${params.key} "${id}" (also ${first})`,
      });
  }
}
