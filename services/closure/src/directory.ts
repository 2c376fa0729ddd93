import { createDirectoryHolder, type Directory, type DirectoryHolder, type DirectoryLogger } from "@clueline/directory";

/**
 * What the closure reads of the directory file (DESIGN §5), the router's own file: for supervision orders, how
 * many working days a unit has to answer one, and the leader (包抓领导) an unanswered one escalates to; for rule 10,
 * the thresholds of conduct from service failures; the periods of the discipline clocks (disposal, conclusion); the
 * units and outside bodies that a transfer or a reassignment may name.
 */
export interface ClosureDirectory {
  supervisionAnswerWorkingDays: number;
  conductFromService: Directory["policy"]["conductFromService"];
  /** DESIGN §7: calendar days a discipline lead has to dispose of an accepted clue. */
  disciplineDisposalDays: number;
  /** DESIGN §7: calendar days to conclude after disposing, per way of handling (hold/close: none). */
  disciplineConclusionDays: Directory["policy"]["disciplineConclusionDays"];
  /** The leader overseeing a unit, or null when the directory names none. */
  leaderOf(unitId: string): string | null;
  /** A discipline unit or a department: it can hold an assignment. */
  isUnit(id: string): boolean;
  /** A body outside the district a clue can be transferred to (转送). */
  isExternal(id: string): boolean;
}

/** The closure's view of one version of the directory. */
export function closureDirectoryOf(directory: Directory): ClosureDirectory {
  const leaders = new Map<string, string>();
  for (const leader of directory.leaders) for (const unitId of leader.oversees) leaders.set(unitId, leader.id);
  // Every department: a vertically managed one still leads its own service work (rule 7).
  const units = new Set([...directory.units.map((unit) => unit.id), ...directory.departments.map((d) => d.id)]);
  const external = new Set(directory.external.map((body) => body.id));
  return {
    supervisionAnswerWorkingDays: directory.policy.supervisionAnswerWorkingDays,
    conductFromService: directory.policy.conductFromService,
    disciplineDisposalDays: directory.policy.disciplineDisposalDays,
    disciplineConclusionDays: directory.policy.disciplineConclusionDays,
    leaderOf: (unitId) => leaders.get(unitId) ?? null,
    isUnit: (id) => units.has(id),
    isExternal: (id) => external.has(id),
  };
}

/**
 * Loads the directory file (`DIRECTORY_FILE`, else the shipped default) and keeps the last good version; watch it
 * for changes with `holder.watch()`. Throws `DirectoryInvalid` naming every problem when the first read fails.
 *
 * @example
 * const directory = await loadClosureDirectory({ path: config.DIRECTORY_FILE ?? defaultDirectoryPath, logger });
 * directory.current().leaderOf("town-chengguan"); // "leader-executive-deputy-mayor"
 */
export function loadClosureDirectory(options: {
  path: string;
  logger: DirectoryLogger;
}): Promise<DirectoryHolder<ClosureDirectory>> {
  return createDirectoryHolder({ path: options.path, logger: options.logger, compile: closureDirectoryOf });
}
