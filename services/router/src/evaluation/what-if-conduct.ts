import { readFile } from "node:fs/promises";
import type { Writable } from "node:stream";
import {
  type ConductPattern,
  type ConductThresholds,
  detectConductPattern,
  LifecycleEvent,
  type ServiceFailure,
  serviceFailuresOf,
} from "@clueline/contracts";
import type { CompiledDirectory } from "../directory/index.js";
import { parseJsonLines } from "./parse-json-lines.js";

/** A pattern the replay found, numbered per run: `#n` is the conduct clue it opened or supplemented. */
export interface ReplayedPattern extends ConductPattern {
  clue: number;
}

/**
 * Replays lifecycle events (in the order given, as the topic holds them) through rule 10 as the closure applies it:
 * the same failures (`serviceFailuresOf`), the same decision (`detectConductPattern`). A conduct clue it opens is
 * taken as open to the end of the replay, since nothing in the events can conclude a clue that never existed.
 *
 * @example
 * const patterns = replayConductPatterns({ events, thresholds: directory.policy.conductFromService });
 */
export function replayConductPatterns(input: {
  events: readonly LifecycleEvent[];
  thresholds: ConductThresholds;
}): ReplayedPattern[] {
  const serviceUnits = new Map<string, string>();
  const serviceLeads = new Map<string, Set<string>>();
  const work = {
    serviceUnitOf: (assignmentId: string) => serviceUnits.get(assignmentId),
    serviceLeadsOf: (clueId: string) => serviceLeads.get(clueId) ?? new Set<string>(),
  };
  const failures = new Map<string, ServiceFailure>();
  const cited = new Set<string>();
  const open = new Map<string, number>();
  const found: ReplayedPattern[] = [];
  for (const event of input.events) {
    if (event.event === "assignment.assigned" && event.assignment.track === "service") {
      serviceUnits.set(event.assignment.assignmentId, event.assignment.unitId);
      if (event.assignment.role === "lead") {
        serviceLeads.set(event.clueId, (serviceLeads.get(event.clueId) ?? new Set()).add(event.assignment.unitId));
      }
    }
    const fresh = serviceFailuresOf(event, work).filter((failure) => !failures.has(failure.id));
    for (const failure of fresh) failures.set(failure.id, failure);
    for (const department of [...new Set(fresh.map((failure) => failure.department))].sort()) {
      const pattern = detectConductPattern({
        department,
        failures: [...failures.values()],
        cited,
        openClue: open.has(department),
        at: new Date(event.occurredAt),
        thresholds: input.thresholds,
      });
      if (pattern === null) continue;
      for (const failure of pattern.evidence) cited.add(failure.id);
      if (!open.has(department)) open.set(department, open.size + 1);
      found.push({ ...pattern, clue: open.get(department) as number });
    }
  }
  return found;
}

/**
 * `route --what-if-conduct <lifecycle.jsonl>`: which conduct clues rule 10 would have opened from a month of
 * `clueline.clue.lifecycle.v1` events (one event's JSON data per line), with the directory's thresholds or the ones
 * given. Exit 1 when some lines were bad (reported on stderr, skipped).
 */
export async function runWhatIfConduct(options: {
  path: string;
  directory: CompiledDirectory;
  thresholds: ConductThresholds;
  stdout: Writable;
  stderr: Writable;
}): Promise<number> {
  const { rows, bad } = parseJsonLines(await readFile(options.path, "utf8"), LifecycleEvent);
  for (const problem of bad) options.stderr.write(`${options.path}:${problem}\n`);
  const { thresholds, directory } = options;
  const out = (line: string) => options.stdout.write(`${line}\n`);
  out(
    `thresholds: ${thresholds.enabled ? "on" : "OFF"}, window ${thresholds.windowDays} days, overdue ${thresholds.overdue}, dissatisfied ${thresholds.dissatisfied}, returns upheld ${thresholds.returnsUpheld}`,
  );
  const patterns = replayConductPatterns({ events: rows.map((row) => row.value), thresholds });
  out(`${rows.length} lifecycle events replayed; ${patterns.filter((p) => p.mode === "open").length} conduct clues would open`);
  for (const pattern of patterns) {
    const lead = directory.coveringTeam.get(pattern.department) ?? directory.districtCommission;
    const name = directory.departments.get(pattern.department)?.name ?? pattern.department;
    const kinds = pattern.kinds.map((kind) => `${pattern.evidence.filter((f) => f.kind === kind).length} ${kind}`).join(", ");
    const verb = pattern.mode === "open" ? `opens conduct clue #${pattern.clue}` : `supplements conduct clue #${pattern.clue}`;
    out(
      `${pattern.window.to}  ${pattern.department} ${name}: ${verb}, led by ${lead} (${kinds}; window from ${pattern.window.from})`,
    );
    for (const failure of pattern.evidence)
      out(`    ${failure.clueId}  ${failure.kind}  ${failure.occurredAt}  ${failure.detail}`);
  }
  return bad.length > 0 ? 1 : 0;
}
