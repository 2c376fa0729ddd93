import type { Month, RatesProjection, Share } from "./rates-projection.js";

export interface SubjectScore {
  kind: "town" | "department";
  id: string;
  /** Clues opened in the month that name this town or department. */
  clues: number;
  /** Deadlines missed in the month on clues naming it. */
  overdue: number;
  /** Departments: discipline clues opened about it in the month from its service failures (rule 10); towns: 0. */
  conductClues: number;
  response: Share;
  resolution: Share;
  satisfaction: Share;
  /** 0–100: the mean of the rates that have a denominator, ×100, one decimal; null when none has. */
  score: number | null;
}

/**
 * The red/black ranking (红黑榜) of towns and departments for a month: each town or department named as a
 * subject of clues is scored on those clues — response and resolution over the lead and assist assignments of
 * the clues opened in the month that name it, satisfaction over the call-backs recorded in the month on any clue
 * naming it. Ranked by score (higher first), then fewer missed deadlines, then fewer clues, then id. The red list
 * is the top `size`, the black list the bottom `size` of the rest, so no one is on both.
 *
 * @example
 * rankSubjects(projection, { month: "2026-03", asOf: new Date(), size: 5 }).black;
 */
export function rankSubjects(projection: RatesProjection, options: { month: Month; asOf: Date; size: number }) {
  const subjects = new Map<string, { kind: SubjectScore["kind"]; id: string; clueIds: Set<string> }>();
  for (const [clueId, clue] of projection.clues) {
    const named = [
      ...clue.towns.map((id) => ({ kind: "town" as const, id })),
      ...clue.departments.map((id) => ({ kind: "department" as const, id })),
    ];
    for (const subject of named) {
      const key = `${subject.kind}:${subject.id}`;
      const entry = subjects.get(key) ?? { ...subject, clueIds: new Set<string>() };
      entry.clueIds.add(clueId);
      subjects.set(key, entry);
    }
  }
  const scores: SubjectScore[] = [];
  for (const subject of subjects.values()) {
    const opened = [...subject.clueIds].filter((id) => projection.clues.get(id)?.openedOn.startsWith(options.month));
    const callBacks = projection.callBacks.filter((c) => subject.clueIds.has(c.clueId) && c.on.startsWith(options.month));
    const conductClues =
      subject.kind === "department"
        ? projection.conductClues.filter((c) => c.department === subject.id && c.on.startsWith(options.month)).length
        : 0;
    if (opened.length === 0 && callBacks.length === 0 && conductClues === 0) continue;
    const openedSet = new Set(opened);
    const assignments = [...projection.assignments.values()].filter((a) => openedSet.has(a.clueId));
    const rates = projection.measure({ assignments, callBacks, asOf: options.asOf });
    const known = [rates.response, rates.resolution, rates.satisfaction].flatMap((s) => (s.rate === null ? [] : [s.rate]));
    const overdue = projection.overdue.filter((o) => subject.clueIds.has(o.clueId) && o.on.startsWith(options.month)).length;
    const score = known.length === 0 ? null : Math.round((known.reduce((a, b) => a + b, 0) / known.length) * 1_000) / 10;
    scores.push({ kind: subject.kind, id: subject.id, clues: opened.length, overdue, conductClues, ...rates, score });
  }
  scores.sort(
    (a, b) =>
      (b.score ?? -1) - (a.score ?? -1) ||
      a.conductClues - b.conductClues ||
      a.overdue - b.overdue ||
      a.clues - b.clues ||
      a.id.localeCompare(b.id),
  );
  const red = scores.slice(0, options.size);
  const black = scores.slice(red.length).slice(-options.size).reverse();
  return { month: options.month, ranking: scores, red, black };
}
