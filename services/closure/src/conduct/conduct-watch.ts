import {
  type ConductThresholds,
  detectConductPattern,
  newId,
  ServiceFailure,
  type ServiceWork,
  serviceFailuresOf,
} from "@clueline/contracts";
import type { Queryable } from "@clueline/db";
import { z } from "zod";
import type { LedgerEvent } from "../ledger/events/ledger-event.js";
import { appendLifecycleBatch } from "../ledger/events/ledger-events.js";

const WATCH_ACTOR = { kind: "system", id: "conduct-watch" } as const;
const DAY_MS = 86_400_000;

const FailureRow = z.object({
  failure_id: z.string(),
  kind: ServiceFailure.shape.kind,
  department: z.string(),
  clue_id: z.string(),
  occurred_at: z.coerce.date(),
  detail: z.string(),
  cited_by: z.string().nullable(),
});

const AssignmentRow = z.object({
  assignment_id: z.string(),
  clue_id: z.string(),
  unit_id: z.string(),
  role: z.string(),
  track: z.string(),
});

/**
 * Rule 10 inside the ledger: every transaction that writes a service failure (a service assignment's missed
 * deadline, a dissatisfied call-back, an upheld return) hands its events here; the failures are recorded once each and, per
 * department, judged by {@link detectConductPattern} against the policy in force. A pattern becomes
 * `conduct.pattern-detected` in the same transaction, so the outbox sends it exactly when the failure commits.
 *
 * @example
 * const conduct = createConductWatch({ thresholds: () => directory.current().policy.conductFromService });
 * await conduct.observe(tx, { events, subject: "deadline-scan", at: now });
 */
export function createConductWatch(options: { thresholds: () => ConductThresholds }) {
  async function observe(tx: Queryable, input: { events: readonly LedgerEvent[]; subject: string; at: Date }): Promise<number> {
    const candidates = input.events.filter(
      (event) =>
        event.event === "deadline.overdue" ||
        (event.event === "clue.call-back-recorded" && event.result === "dissatisfied") ||
        (event.event === "assignment.return-decided" && event.decision === "upheld"),
    );
    if (candidates.length === 0) return 0;
    const work = await serviceWorkOf(tx, [...new Set(candidates.map((event) => event.clueId))]);
    const failures = candidates.flatMap((event) => serviceFailuresOf(event, work));
    if (failures.length === 0) return 0;
    const { rows } = await tx.query(
      `insert into service_failures (failure_id, kind, department, clue_id, occurred_at, detail)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[])
       on conflict (failure_id) do nothing
       returning failure_id, department, occurred_at`,
      [
        failures.map((f) => f.id),
        failures.map((f) => f.kind),
        failures.map((f) => f.department),
        failures.map((f) => f.clueId),
        failures.map((f) => f.occurredAt),
        failures.map((f) => f.detail),
      ],
    );
    const latest = new Map<string, Date>();
    for (const row of rows) {
      const at = new Date(row.occurred_at as string | Date);
      const department = String(row.department);
      if ((latest.get(department)?.getTime() ?? 0) < at.getTime()) latest.set(department, at);
    }
    const thresholds = options.thresholds();
    if (!thresholds.enabled) return 0;
    const events: LedgerEvent[] = [];
    for (const [department, at] of [...latest].sort(([a], [b]) => a.localeCompare(b))) {
      const event = await judge(tx, { department, at, thresholds });
      if (event) events.push(event);
    }
    await appendLifecycleBatch(tx, { events, subject: input.subject, at: input.at });
    return events.length;
  }

  return { observe };
}

export type ConductWatch = ReturnType<typeof createConductWatch>;

/** One department's pattern, under a lock so that two transactions never both open a clue for it. */
async function judge(
  tx: Queryable,
  input: { department: string; at: Date; thresholds: ConductThresholds },
): Promise<LedgerEvent | null> {
  const { department, at, thresholds } = input;
  await tx.query("select pg_advisory_xact_lock(hashtext($1))", [`conduct:${department}`]);
  const from = new Date(at.getTime() - thresholds.windowDays * DAY_MS);
  const { rows } = await tx.query(
    `select failure_id, kind, department, clue_id, occurred_at, detail, cited_by from service_failures
     where department = $1 and occurred_at >= $2 and occurred_at <= $3`,
    [department, from, at],
  );
  const failures = rows.map((row) => FailureRow.parse(row));
  const open = await openConductClue(tx, department);
  const pattern = detectConductPattern({
    department,
    failures: failures.map((row) => ({
      id: row.failure_id,
      kind: row.kind,
      department: row.department,
      clueId: row.clue_id,
      occurredAt: row.occurred_at.toISOString(),
      detail: row.detail,
    })),
    cited: new Set(failures.filter((row) => row.cited_by !== null).map((row) => row.failure_id)),
    openClue: open !== null,
    at,
    thresholds,
  });
  if (pattern === null) return null;
  const clueId = open ?? newId();
  if (open === null) {
    await tx.query("insert into conduct_clues (clue_id, department, detected_at) values ($1, $2, $3)", [clueId, department, at]);
  }
  await tx.query("update service_failures set cited_by = $1 where failure_id = any($2::text[])", [
    clueId,
    pattern.evidence.map((failure) => failure.id),
  ]);
  return {
    clueId,
    occurredAt: at.toISOString(),
    actor: WATCH_ACTOR,
    event: "conduct.pattern-detected",
    mode: pattern.mode,
    department,
    kinds: pattern.kinds,
    window: pattern.window,
    thresholds: { overdue: thresholds.overdue, dissatisfied: thresholds.dissatisfied, returnsUpheld: thresholds.returnsUpheld },
    evidence: pattern.evidence,
  };
}

/** The conduct clue about the department still open, or opening (the router has yet to apply it). */
async function openConductClue(tx: Queryable, department: string): Promise<string | null> {
  const { rows } = await tx.query<{ clue_id: string }>(
    `select c.clue_id from conduct_clues c left join clues l on l.clue_id = c.clue_id
     where c.department = $1 and (l.clue_id is null or l.state = 'open')
     order by c.detected_at desc limit 1`,
    [department],
  );
  return rows[0]?.clue_id ?? null;
}

async function serviceWorkOf(tx: Queryable, clueIds: string[]): Promise<ServiceWork> {
  const { rows } = await tx.query(
    "select assignment_id, clue_id, unit_id, role, track from assignments where clue_id = any($1::text[])",
    [clueIds],
  );
  const assignments = rows.map((row) => AssignmentRow.parse(row)).filter((row) => row.track === "service");
  const units = new Map(assignments.map((row) => [row.assignment_id, row.unit_id]));
  const leads = new Map<string, Set<string>>();
  for (const row of assignments.filter((a) => a.role === "lead")) {
    leads.set(row.clue_id, (leads.get(row.clue_id) ?? new Set()).add(row.unit_id));
  }
  return {
    serviceUnitOf: (assignmentId) => units.get(assignmentId),
    serviceLeadsOf: (clueId) => leads.get(clueId) ?? new Set(),
  };
}
