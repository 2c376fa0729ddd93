import type { ClueNature, Complaint, DecisionReason } from "@clueline/contracts";
import type { CategoryHit, CompiledDirectory } from "../directory/index.js";
import { departmentKey, type SubjectKey, townKey } from "./history.js";
import { matchCategories } from "./match-categories.js";

/** Rules 1 and 2 applied: what the complaint is about and whom it names. */
export interface ComplaintAnalysis {
  /** Matched categories in directory order. */
  categories: CategoryHit[];
  /** The same, most telling first (see `matchCategories`): `ranked[0]` is the top category. */
  ranked: CategoryHit[];
  nature: ClueNature;
  /** Department ids, in the order given or first named in the text. */
  departments: string[];
  towns: string[];
  subjectKeys: SubjectKey[];
  reasons: DecisionReason[];
}

/**
 * Finds categories and nature (rule 1) and subjects (rule 2). Explicit subject ids win over the text; an id
 * the directory does not know is dropped with a reason (the directory may have been edited since the
 * channel looked it up), and if none is left the text is scanned as if none had been given.
 *
 * @example
 * analyzeComplaint({ complaint, directory }).nature; // "discipline"
 */
export function analyzeComplaint(params: { complaint: Complaint; directory: CompiledDirectory }): ComplaintAnalysis {
  const { complaint, directory } = params;
  const { categories, ranked, nature, reasons } = matchCategories({ complaint, directory });

  const departments: string[] = [];
  const towns: string[] = [];
  const given = [
    ...(complaint.subjects?.departments ?? []).map((id) => ({ kind: "department" as const, id })),
    ...(complaint.subjects?.towns ?? []).map((id) => ({ kind: "town" as const, id })),
  ];
  for (const subject of given) {
    const known = subject.kind === "department" ? directory.departments.has(subject.id) : directory.towns.has(subject.id);
    const list = subject.kind === "department" ? departments : towns;
    if (!known) reasons.push({ rule: 2, detail: `given ${subject.kind} "${subject.id}" is not in the directory; ignored` });
    else if (!list.includes(subject.id)) list.push(subject.id);
  }

  if (departments.length + towns.length > 0) {
    reasons.push({ rule: 2, detail: `subjects given by the channel: ${describe(directory, departments, towns)}` });
  } else {
    const matched: string[] = [];
    for (const { word, value } of directory.findSubjects(complaint.text)) {
      const list = value.kind === "department" ? departments : towns;
      if (!list.includes(value.id)) list.push(value.id);
      matched.push(word);
    }
    reasons.push(
      matched.length > 0
        ? { rule: 2, detail: `subjects found in the text: ${describe(directory, departments, towns)}`, matched }
        : { rule: 2, detail: "no department or town named" },
    );
  }

  const subjectKeys = [...departments.map(departmentKey), ...towns.map(townKey)];
  return { categories, ranked, nature, departments, towns, subjectKeys, reasons };
}

function describe(directory: CompiledDirectory, departments: string[], towns: string[]): string {
  const named = [
    ...departments.map((id) => `${id} (${directory.departments.get(id)?.name ?? id})`),
    ...towns.map((id) => `${id} (${directory.towns.get(id)?.name ?? id})`),
  ];
  return named.join(", ");
}
