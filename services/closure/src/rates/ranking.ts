import type { Month, RatesProjection, Share } from "./rates-projection.js";

/**
 * Points off a subject's score for each upheld return, redo and overdue supervision order on its clues in the month
 * (DESIGN §7). Two points: one such failure weighs about as much as one assignment in fifty answered late in every
 * rate, so a few of them move a subject several places, while a single one does not outweigh a month's rates.
 */
export const DEMERIT_POINTS = 2;

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
  /** Returns the commission upheld (退回 refused), redos (发回重办) and supervision orders escalated (提级督办), in M. */
  returnsUpheld: number;
  redos: number;
  supervisionOverdue: number;
  /**
   * 0–100: the mean of the rates that have a denominator, ×100, less {@link DEMERIT_POINTS} for each upheld return,
   * redo and overdue supervision order (never below 0), one decimal; null when no rate has a denominator.
   */
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
    const demerits = projection.demerits.filter((d) => subject.clueIds.has(d.clueId) && d.on.startsWith(options.month));
    const count = (kind: (typeof demerits)[number]["kind"]) => demerits.filter((d) => d.kind === kind).length;
    if (opened.length === 0 && callBacks.length === 0 && conductClues === 0 && demerits.length === 0) continue;
    const openedSet = new Set(opened);
    const assignments = [...projection.assignments.values()].filter((a) => openedSet.has(a.clueId));
    const rates = projection.measure({ assignments, callBacks, asOf: options.asOf });
    const known = [rates.response, rates.resolution, rates.satisfaction].flatMap((s) => (s.rate === null ? [] : [s.rate]));
    const overdue = projection.overdue.filter((o) => subject.clueIds.has(o.clueId) && o.on.startsWith(options.month)).length;
    const mean = known.length === 0 ? null : (known.reduce((a, b) => a + b, 0) / known.length) * 100;
    const score = mean === null ? null : Math.round(Math.max(0, mean - DEMERIT_POINTS * demerits.length) * 10) / 10;
    scores.push({
      kind: subject.kind,
      id: subject.id,
      clues: opened.length,
      overdue,
      conductClues,
      ...rates,
      returnsUpheld: count("return-upheld"),
      redos: count("redo"),
      supervisionOverdue: count("supervision-overdue"),
      score,
    });
  }
  scores.sort(
    (a, b) =>
      (b.score ?? -1) - (a.score ?? -1) ||
      demeritsOf(a) - demeritsOf(b) ||
      a.conductClues - b.conductClues ||
      a.overdue - b.overdue ||
      a.clues - b.clues ||
      a.id.localeCompare(b.id),
  );
  const red = scores.slice(0, options.size);
  const black = scores.slice(red.length).slice(-options.size).reverse();
  return { month: options.month, ranking: scores, red, black };
}

const demeritsOf = (score: SubjectScore) => score.returnsUpheld + score.redos + score.supervisionOverdue;
