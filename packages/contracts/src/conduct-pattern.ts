import { z } from "zod";

/**
 * Rule 10 (DESIGN §6): a pattern of service failures of one department (庸、懒、散、慢, 推诿扯皮) becomes a
 * discipline clue about it. The closure sees the failures and publishes `conduct.pattern-detected`; the router
 * turns it into the clue; the routing CLI replays lifecycle events through the same {@link detectConductPattern}.
 */

const DirectoryId = z.string().regex(/^[a-z0-9-]+$/, { error: "must match [a-z0-9-]+" });
const Timestamp = z.iso.datetime({ offset: true });

/**
 * `overdue`: a service assignment missed its accept or conclude deadline; `dissatisfied`: a call-back (回访) found
 * the reporter dissatisfied with the department's work; `return-upheld`: the commission upheld a return (退回) the
 * department asked for, so it had to handle the clue after all.
 */
export const ServiceFailureKind = z.enum(["overdue", "dissatisfied", "return-upheld"]);
export type ServiceFailureKind = z.infer<typeof ServiceFailureKind>;

/** One failure of a department's service work; `id` is stable, so one assignment or call-back counts once. */
export const ServiceFailure = z.object({
  id: z.string().min(1).max(300),
  kind: ServiceFailureKind,
  department: DirectoryId,
  clueId: z.string().min(1),
  occurredAt: Timestamp,
  /** What happened, in words an inspector reads in the conduct clue's reasons; never reporter identity. */
  detail: z.string().min(1).max(500),
});
export type ServiceFailure = z.infer<typeof ServiceFailure>;

/** The thresholds of `policy.conductFromService` (DESIGN §5) the detection reads. */
export interface ConductThresholds {
  enabled: boolean;
  windowDays: number;
  overdue: number;
  dissatisfied: number;
  returnsUpheld: number;
}

/**
 * The rolling window a pattern was seen in, inclusive at both ends: `windowDays` days back from the failure that
 * crossed the threshold. `thresholds` are the counts in force then, so a reader can tell why it fired.
 */
export const ConductWindow = z.object({ from: Timestamp, to: Timestamp, days: z.int().min(1) });
export type ConductWindow = z.infer<typeof ConductWindow>;

export interface ConductPattern {
  /** `open`: no conduct clue about the department is open, a new one opens; `supplement`: the open one grows. */
  mode: "open" | "supplement";
  department: string;
  /** The kinds whose threshold was crossed. */
  kinds: ServiceFailureKind[];
  window: ConductWindow;
  /** The failures not cited by an earlier pattern, oldest first. */
  evidence: ServiceFailure[];
}

const countOf = (thresholds: ConductThresholds): Record<ServiceFailureKind, number> => ({
  overdue: thresholds.overdue,
  dissatisfied: thresholds.dissatisfied,
  "return-upheld": thresholds.returnsUpheld,
});

const DAY_MS = 86_400_000;

/**
 * Decides whether a department's failures, as of the one that just happened (`at`), make a pattern. A kind
 * crosses when its failures in the window number at least its threshold. Failures an earlier pattern cited
 * (`cited`) open nothing again: a new clue needs as many fresh ones; while a conduct clue about the department is
 * open (`openClue`), every fresh failure of a kind still at or above its threshold supplements it.
 *
 * @example
 * const pattern = detectConductPattern({ department: "dept-market", failures, cited, openClue: false, at, thresholds });
 * if (pattern?.mode === "open") publish(pattern);
 */
export function detectConductPattern(input: {
  department: string;
  failures: readonly ServiceFailure[];
  cited: ReadonlySet<string>;
  openClue: boolean;
  at: Date;
  thresholds: ConductThresholds;
}): ConductPattern | null {
  const { thresholds, at } = input;
  if (!thresholds.enabled) return null;
  const from = new Date(at.getTime() - thresholds.windowDays * DAY_MS);
  const unique = new Map<string, ServiceFailure>();
  for (const failure of input.failures) {
    const time = Date.parse(failure.occurredAt);
    if (failure.department === input.department && time >= from.getTime() && time <= at.getTime()) {
      unique.set(failure.id, failure);
    }
  }
  const inWindow = [...unique.values()];
  const needed = countOf(thresholds);
  const kinds: ServiceFailureKind[] = [];
  const evidence: ServiceFailure[] = [];
  for (const kind of ServiceFailureKind.options) {
    const all = inWindow.filter((failure) => failure.kind === kind);
    const fresh = all.filter((failure) => !input.cited.has(failure.id));
    const crossed = input.openClue ? all.length >= needed[kind] && fresh.length > 0 : fresh.length >= needed[kind];
    if (!crossed) continue;
    kinds.push(kind);
    evidence.push(...fresh);
  }
  if (kinds.length === 0) return null;
  evidence.sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || a.id.localeCompare(b.id));
  return {
    mode: input.openClue ? "supplement" : "open",
    department: input.department,
    kinds,
    window: { from: from.toISOString(), to: at.toISOString(), days: thresholds.windowDays },
    evidence,
  };
}
