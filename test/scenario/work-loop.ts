import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { RoutingDecision } from "@clueline/contracts";
import type { Scope } from "@clueline/kit";
import type { RunningSystem, ServiceName } from "../e2e/system-under-test.js";

/**
 * The inspector's work loop of issue 17, step by step through the real HTTP edges, from test/scenario/work-loop.json:
 * the same code path for `npm run demo -- --work-loop` and test/e2e/work-loop.it.test.ts. It checks every answer
 * itself (a mismatch throws {@link WorkLoopStepFailed}) and returns, per step, the lifecycle and audit events the
 * step must have published, for the caller to find on Kafka. Re-runnable on the same system: its complaints are
 * anonymous (rule 8 merges none), its call ids and idempotency keys carry the run's id, and it acts only on the
 * clues its own complaints opened; it sets the deadline scan back in step before they open their clocks. Logs
 * labels, ids and states only: the scenario's reporters are anonymous and no free text a reporter wrote is printed.
 */
export type ClueName = "evidence" | "discipline" | "supervised" | "extended";
type Role = "lead" | "assist" | "informed";
type FileName = "recording" | "inquiryRecord";

interface ClueSpec {
  label: string;
  service: ServiceName;
  path: string;
  attach?: FileName;
  body: Record<string, unknown>;
  expect: { routing: { disciplineLead: string; assist?: string[]; informed?: string[] } };
}
export interface WorkLoopStep {
  label: string;
  do: string;
  clue: ClueName;
  as?: Role;
  events?: string[];
  audit?: string[];
  expect?: Record<string, unknown>;
  [field: string]: unknown;
}
export interface WorkLoopScenario {
  files: Record<FileName, { contentType: string; base64: string }>;
  clues: Record<ClueName, ClueSpec>;
  steps: WorkLoopStep[];
}

export const workLoopScenario = JSON.parse(
  readFileSync(new URL("./work-loop.json", import.meta.url), "utf8"),
) as WorkLoopScenario;

export interface Answer {
  status: number;
  text: string;
  bytes: Uint8Array;
  headers: Headers;
}
export interface WorkLoopDeps {
  /** One HTTP request with a token of these scopes; `bytes` sends a raw body (an upload) instead of JSON. */
  call(request: {
    service: ServiceName;
    path: string;
    scopes: Scope[];
    method?: string;
    body?: unknown;
    bytes?: Uint8Array;
    headers?: Record<string, string>;
  }): Promise<Answer>;
  /**
   * Runs the closure's deadline scan this far ahead of the machine's clock from now on (0: in step with it). A run
   * starts at 0, so an earlier run's last move cannot fire this run's fresh clocks at once.
   */
  setScanClockAhead(aheadMs: number): Promise<void>;
  log(line: string): void;
  /** Unique per run: call ids and idempotency keys carry it. */
  runId: string;
  /** How long to wait for a consumer or a scan turn; a restarted closure rejoins its group first. */
  patienceMs?: number;
}
export interface OpenedClue {
  clueId: string;
  decision: RoutingDecision;
  units: Record<Role, string | undefined>;
}
export interface WorkLoopResult {
  clues: Record<ClueName, OpenedClue>;
  /** What each step (and each clue's opening) must have published, for the Kafka checks. */
  published: { label: string; clueId: string; events: string[]; audit: string[] }[];
}

export class WorkLoopStepFailed extends Error {
  override readonly name = "WorkLoopStepFailed";
  constructor(
    readonly step: string,
    detail: string,
  ) {
    super(`${step}: ${detail}`);
  }
}

/**
 * The runner's hands on a system started by test/e2e/system-under-test.ts: HTTP with tokens of its issuer, and the
 * scan clock moved by restarting the closure with DEADLINE_SCAN_AHEAD_MS on the same ledger (startSystem launches
 * each service with a copy of `system.env`, and the e2e and demo systems keep their PGlite ledger on disk).
 *
 * @example
 * await runWorkLoop({ ...systemHands(system), log: console.log, runId: "r1" });
 */
export function systemHands(system: Pick<RunningSystem, "urls" | "tokens" | "env" | "restart">) {
  const call: WorkLoopDeps["call"] = async (request) => {
    const token = await system.tokens.issue({ subject: `work-loop-${request.scopes.join("+")}`, scopes: request.scopes });
    const raw = request.bytes !== undefined;
    const response = await fetch(system.urls[request.service] + request.path, {
      method: request.method ?? (request.body === undefined && !raw ? "GET" : "POST"),
      headers: { ...(raw ? {} : { "content-type": "application/json" }), authorization: `Bearer ${token}`, ...request.headers },
      body: raw
        ? Buffer.from(request.bytes as Uint8Array)
        : request.body === undefined
          ? undefined
          : JSON.stringify(request.body),
    });
    const bytes = new Uint8Array(await response.arrayBuffer());
    return { status: response.status, bytes, text: Buffer.from(bytes).toString("utf8"), headers: response.headers };
  };
  async function setScanClockAhead(aheadMs: number): Promise<void> {
    if (Number(system.env.DEADLINE_SCAN_AHEAD_MS ?? 0) === aheadMs) return;
    system.env.DEADLINE_SCAN_AHEAD_MS = String(aheadMs);
    await system.restart("closure");
  }
  return { call, setScanClockAhead };
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const DAY_MS = 86_400_000;
/** A Beijing calendar date `days` after today's (review dates and promised dates are Beijing dates). */
const beijingDate = (days: number) => new Date(Date.now() + 8 * 3_600_000 + days * DAY_MS).toISOString().slice(0, 10);

/**
 * @example
 * const { clues, published } = await runWorkLoop({ call, setScanClockAhead, log: console.log, runId: "r1" });
 */
export async function runWorkLoop(deps: WorkLoopDeps, scenario: WorkLoopScenario = workLoopScenario): Promise<WorkLoopResult> {
  const patience = deps.patienceMs ?? 120_000;
  const load = (name: FileName) => ({
    contentType: scenario.files[name].contentType,
    bytes: new Uint8Array(Buffer.from(scenario.files[name].base64, "base64")),
  });
  const files: Record<FileName, { contentType: string; bytes: Uint8Array }> = {
    recording: load("recording"),
    inquiryRecord: load("inquiryRecord"),
  };
  const published: WorkLoopResult["published"] = [];
  const state = { requests: new Map<ClueName, string>(), evidence: new Map<FileName, string>() };

  async function eventually<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    const started = Date.now();
    let told = started;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() - started > patience) throw new WorkLoopStepFailed(what, `nothing after ${patience / 1000} s`);
      if (Date.now() - told > 10_000) {
        told = Date.now();
        deps.log(`      … still waiting for ${what} (${Math.round((told - started) / 1000)} s)`);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  async function json<T>(step: string, answer: Promise<Answer>, status: number): Promise<T> {
    const got = await answer;
    if (got.status !== status) throw new WorkLoopStepFailed(step, `HTTP ${got.status}, expected ${status}: ${got.text}`);
    return (got.text ? JSON.parse(got.text) : undefined) as T;
  }
  function check(step: string, what: string, actual: unknown, expected: unknown) {
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      throw new WorkLoopStepFailed(step, `${what} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
    }
  }

  deps.log(
    `Work loop (issue 17), run ${deps.runId}: ${Object.keys(scenario.clues).length} complaints, ${scenario.steps.length} steps\n`,
  );
  await deps.setScanClockAhead(0);
  const clues = {} as Record<ClueName, OpenedClue>;
  for (const [name, spec] of Object.entries(scenario.clues) as [ClueName, ClueSpec][]) {
    clues[name] = await openClue(name, spec);
    published.push({ label: spec.label, clueId: clues[name].clueId, events: ["clue.opened"], audit: [] });
  }
  for (const step of scenario.steps) {
    await runStep(step);
    published.push({
      label: step.label,
      clueId: clues[step.clue]?.clueId ?? "",
      events: step.events ?? [],
      audit: step.audit ?? [],
    });
  }
  return { clues, published };

  async function openClue(name: ClueName, spec: ClueSpec): Promise<OpenedClue> {
    const body: Record<string, unknown> = { ...spec.body };
    if (spec.attach) {
      const file = files[spec.attach];
      const upload = await json<{ evidenceId: string; sha256: string }>(
        spec.label,
        deps.call({
          service: "hotline",
          path: "/v1/recordings",
          scopes: ["complaint:write"],
          bytes: file.bytes,
          headers: { "content-type": file.contentType },
        }),
        201,
      );
      check(spec.label, "the recording's SHA-256", upload.sha256, sha256(file.bytes));
      body.evidence = [upload];
      state.evidence.set(spec.attach, upload.evidenceId);
    }
    if (spec.service === "hotline") {
      const at = new Date().toISOString();
      Object.assign(body, { callId: `${String(body.callId)}-${deps.runId}`, startedAt: at, endedAt: at });
    }
    const accepted = await json<{ complaintId: string }>(
      spec.label,
      deps.call({
        service: spec.service,
        path: spec.path,
        scopes: ["complaint:write"],
        body,
        headers: { "idempotency-key": `work-loop-${deps.runId}-${name}` },
      }),
      202,
    );
    const decision = await eventually(`the routing of ${accepted.complaintId}`, async () => {
      const found = await deps.call({ service: "router", path: `/v1/decisions/${accepted.complaintId}`, scopes: ["commission"] });
      return found.status === 200 ? (JSON.parse(found.text) as RoutingDecision) : undefined;
    });
    await eventually(`clue ${decision.clueId} in the closure ledger`, async () => {
      const found = await deps.call({ service: "closure", path: `/v1/clues/${decision.clueId}`, scopes: ["commission"] });
      return found.status === 200 ? true : undefined;
    });
    const units = {
      lead: decision.discipline?.lead,
      assist: decision.discipline?.assist[0],
      informed: decision.discipline?.informed[0],
    };
    const roles = Object.entries(units)
      .filter(([, unit]) => unit)
      .map(([role, unit]) => `${role} ${unit}`);
    deps.log(`● ${spec.label}\n    ${spec.service} 202 → clue ${decision.clueId}: ${roles.join(", ")}`);
    return { clueId: decision.clueId, decision, units };
  }

  function unitOf(step: WorkLoopStep): string {
    const unit = clues[step.clue]?.units[step.as ?? "lead"];
    if (!unit) throw new WorkLoopStepFailed(step.label, `clue ${step.clue} has no ${step.as} unit`);
    return unit;
  }
  async function assignmentOf(step: WorkLoopStep, unitId: string) {
    const detail = await json<{
      state: string;
      assignments: { assignmentId: string; unitId: string; acceptDueOn: string | null }[];
    }>(
      step.label,
      deps.call({ service: "closure", path: `/v1/clues/${clues[step.clue].clueId}`, scopes: [`unit:${unitId}`] }),
      200,
    );
    const assignment = detail.assignments.find((a) => a.unitId === unitId);
    if (!assignment) throw new WorkLoopStepFailed(step.label, `${unitId} has no assignment on clue ${step.clue}`);
    return { ...assignment, clueState: detail.state };
  }
  async function ordersOf(step: WorkLoopStep, scopes: Scope[], query = "") {
    type Order = {
      orderId: string;
      clueId: string;
      unitId: string;
      state: string;
      escalation: { leaderId: string | null } | null;
    };
    const items: Order[] = [];
    let cursor: string | null = null;
    do {
      const path: string = `/v1/supervision-orders?limit=100${query}${cursor ? `&cursor=${cursor}` : ""}`;
      const page = await json<{ items: Order[]; nextCursor: string | null }>(
        step.label,
        deps.call({ service: "closure", path, scopes }),
        200,
      );
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items.filter((order) => order.clueId === clues[step.clue].clueId);
  }

  async function runStep(step: WorkLoopStep): Promise<void> {
    const expect = step.expect ?? {};
    const clueId = clues[step.clue]?.clueId;
    switch (step.do) {
      case "act": {
        const unitId = unitOf(step);
        const { assignmentId } = await assignmentOf(step, unitId);
        const action = { ...(step.action as object) } as Record<string, unknown>;
        if (typeof step.reviewInDays === "number") action.reviewOn = beijingDate(step.reviewInDays);
        const after = await json<{ state: string; disposition: string | null; concludeDueOn: string | null }>(
          step.label,
          deps.call({
            service: "closure",
            path: `/v1/assignments/${assignmentId}/actions`,
            scopes: [`unit:${unitId}`],
            body: action,
          }),
          200,
        );
        check(step.label, "the assignment's state", after.state, expect.state);
        if (expect.concludeDue !== undefined)
          check(step.label, "a conclusion clock", after.concludeDueOn !== null, expect.concludeDue);
        const { clueState } = await assignmentOf(step, unitId);
        if (expect.clueState !== undefined) check(step.label, "the clue's state", clueState, expect.clueState);
        const due =
          action.action !== "dispose"
            ? ""
            : after.concludeDueOn
              ? `, conclusion due ${after.concludeDueOn}`
              : action.reviewOn
                ? `, review on ${action.reviewOn}`
                : "";
        deps.log(
          `  ${unitId} ${String(action.action)}${after.disposition && action.action === "dispose" ? ` ${after.disposition}` : ""} → ${after.state}${due}  (${step.label})`,
        );
        return;
      }
      case "reply": {
        const unitId = unitOf(step);
        await json(
          step.label,
          deps.call({
            service: "closure",
            path: `/v1/clues/${clueId}/reply`,
            scopes: [`unit:${unitId}`],
            body: { reply: step.reply },
          }),
          204,
        );
        const { clueState } = await assignmentOf(step, unitId);
        check(step.label, "the clue's state", clueState, expect.clueState);
        deps.log(`  ${unitId} reply → clue ${clueState}  (${step.label})`);
        return;
      }
      case "list-evidence": {
        const unitId = unitOf(step);
        const list = await json<{ items: { source: string; sha256: string }[] }>(
          step.label,
          deps.call({ service: "closure", path: `/v1/clues/${clueId}/evidence`, scopes: [`unit:${unitId}`] }),
          200,
        );
        const count = (source: string) => list.items.filter((item) => item.source === source).length;
        check(step.label, "the evidence listed", { reporter: count("reporter"), unit: count("unit") }, expect);
        deps.log(
          `  ${unitId} lists evidence: ${count("reporter")} from the reporter, ${count("unit")} from units  (${step.label})`,
        );
        return;
      }
      case "download-evidence": {
        const unitId = unitOf(step);
        const file = files[step.file as FileName];
        const evidenceId = state.evidence.get(step.file as FileName);
        const reason = typeof step.reason === "string" ? `?reason=${encodeURIComponent(step.reason)}` : "";
        const scopes: Scope[] = step.piiRead ? [`unit:${unitId}`, "pii:read"] : [`unit:${unitId}`];
        const got = await deps.call({ service: "closure", path: `/v1/clues/${clueId}/evidence/${evidenceId}${reason}`, scopes });
        check(step.label, "the download's HTTP status", got.status, expect.status);
        if (got.status === 200) {
          check(step.label, "the downloaded bytes' SHA-256", sha256(got.bytes), sha256(file.bytes));
          // RFC 9530: the digest the closure checked the bytes against before sending them.
          const digest = `sha-256=:${Buffer.from(sha256(file.bytes), "hex").toString("base64")}:`;
          check(step.label, "the Repr-Digest header", got.headers.get("repr-digest"), digest);
        }
        deps.log(
          `  ${unitId}${step.piiRead ? " (pii:read)" : ""} downloads ${step.file}: HTTP ${got.status}${got.status === 200 ? `, ${got.bytes.byteLength} bytes, SHA-256 ${sha256(got.bytes).slice(0, 12)}… as recorded` : ""}  (${step.label})`,
        );
        return;
      }
      case "add-evidence": {
        const unitId = unitOf(step);
        const file = files[step.file as FileName];
        const added = await json<{ evidenceId: string; sha256: string; source: string }>(
          step.label,
          deps.call({
            service: "closure",
            path: `/v1/clues/${clueId}/evidence`,
            scopes: [`unit:${unitId}`],
            bytes: file.bytes,
            headers: { "content-type": file.contentType, "x-clueline-sha256": sha256(file.bytes) },
          }),
          expect.status as number,
        );
        check(step.label, "the stored SHA-256", [added.source, added.sha256], ["unit", sha256(file.bytes)]);
        state.evidence.set(step.file as FileName, added.evidenceId);
        deps.log(`  ${unitId} adds ${step.file} (${file.contentType}) → evidence ${added.evidenceId}  (${step.label})`);
        return;
      }
      case "request-extension": {
        const unitId = unitOf(step);
        const { assignmentId } = await assignmentOf(step, unitId);
        const request = await json<{ requestId: string; state: string; dueOn: string }>(
          step.label,
          deps.call({
            service: "closure",
            path: `/v1/assignments/${assignmentId}/extension-requests`,
            scopes: [`unit:${unitId}`],
            body: { kind: step.kind, workingDays: step.workingDays, reason: step.reason },
          }),
          expect.status as number,
        );
        state.requests.set(step.clue, request.requestId);
        deps.log(
          `  ${unitId} asks ${String(step.workingDays)} more working days on its ${String(step.kind)} clock due ${request.dueOn} → ${request.state}  (${step.label})`,
        );
        return;
      }
      case "decide-extension": {
        const decided = await json<{ state: string; dueOn: string; newDueOn: string }>(
          step.label,
          deps.call({
            service: "closure",
            path: `/v1/extension-requests/${state.requests.get(step.clue)}/decision`,
            scopes: ["commission"],
            body: { decision: step.decision },
          }),
          200,
        );
        check(step.label, "the request's state", decided.state, expect.state);
        const { acceptDueOn } = await assignmentOf({ ...step, as: "lead" }, unitOf({ ...step, as: "lead" }));
        check(step.label, "the assignment's accept clock", acceptDueOn, decided.newDueOn);
        deps.log(`  commission ${decided.state}: the clock moves from ${decided.dueOn} to ${decided.newDueOn}  (${step.label})`);
        return;
      }
      case "advance-clock": {
        deps.log(
          `  ⏩ the deadline scan now runs ${String(step.aheadDays)} days ahead (restarting what needs it)…  (${step.label})`,
        );
        await deps.setScanClockAhead((step.aheadDays as number) * DAY_MS);
        return;
      }
      case "await-orders": {
        const units = (step.units as Role[]).map((role) => unitOf({ ...step, as: role }));
        for (const unitId of units) {
          const [order] = await eventually(`a supervision order for ${unitId} on clue ${clueId}`, async () => {
            const found = await ordersOf(step, [`unit:${unitId}`]);
            return found.length > 0 ? found : undefined;
          });
          check(step.label, `${unitId}'s order state`, order?.state, expect.state);
          deps.log(`  督办 order ${order?.orderId} to ${unitId}: ${order?.state}  (${step.label})`);
        }
        return;
      }
      case "expect-no-orders": {
        const unitId = unitOf({ ...step, as: "lead" });
        check(step.label, `orders for ${unitId} on clue ${clueId}`, (await ordersOf(step, ["commission"])).length, 0);
        deps.log(`  no supervision order on clue ${clueId}: ${unitId}'s extended clock is still running  (${step.label})`);
        return;
      }
      case "answer-order": {
        const unitId = unitOf(step);
        const [order] = await ordersOf(step, [`unit:${unitId}`]);
        if (!order) throw new WorkLoopStepFailed(step.label, `no order for ${unitId}`);
        const answer = { explanation: step.explanation, promisedOn: beijingDate(step.promiseInDays as number) };
        const got = await deps.call({
          service: "closure",
          path: `/v1/supervision-orders/${order.orderId}/answer`,
          scopes: [`unit:${unitId}`],
          body: answer,
        });
        check(step.label, "the answer's HTTP status", got.status, expect.status ?? 200);
        if (got.status === 200)
          check(step.label, "the order's state", (JSON.parse(got.text) as { state: string }).state, expect.state);
        deps.log(
          `  ${unitId} answers order ${order.orderId} (promised ${answer.promisedOn}): HTTP ${got.status}  (${step.label})`,
        );
        return;
      }
      case "await-escalation": {
        const unitId = unitOf(step);
        const order = await eventually(`the escalation of ${unitId}'s order on clue ${clueId}`, async () => {
          const [found] = await ordersOf(step, [`unit:${unitId}`], "&state=escalated");
          return found;
        });
        const leaderId = order.escalation?.leaderId;
        check(step.label, "the leader escalated to", leaderId, expect.leader);
        const seen = await ordersOf(step, [`leader:${leaderId}` as Scope]);
        check(
          step.label,
          "what the leader sees",
          seen.map((o) => o.orderId),
          [order.orderId],
        );
        deps.log(
          `  提级督办: order ${order.orderId} of ${unitId} escalated to ${leaderId}, who sees it with scope leader:${leaderId}  (${step.label})`,
        );
        return;
      }
      default:
        throw new WorkLoopStepFailed(step.label, `unknown step kind ${step.do}`);
    }
  }
}
