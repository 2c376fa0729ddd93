import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { lifecycleTopic, parseUnitStreamRecord, type RoutingDecision, unitClueTopic } from "@clueline/contracts";
import type { Scope } from "@clueline/kit";
import { createTestKafka, readTopic, testInfra } from "@clueline/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revealed, type SubmittedIdentity, sweepBucket, sweepPglite, sweepTopics } from "./pii-sweep.js";
import { type RunningSystem, type ServiceName, startSystem } from "./system-under-test.js";

interface Step {
  label: string;
  service: ServiceName;
  path: string;
  body: Record<string, unknown> & { reporter?: { kind: string; name?: string; phone?: string; idNumber?: string } };
  expect: {
    nature?: string;
    disciplineLead?: string;
    assist?: string[];
    informed?: string[];
    serviceLead?: string;
    transferTo?: string;
    merged?: boolean;
    escalated?: boolean;
  };
}
const scenario = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), "../scenario/demo.json"), "utf8")) as {
  steps: Step[];
};
const secrets = scenario.steps
  .flatMap((s) =>
    s.body.reporter?.kind === "real-name"
      ? [s.body.reporter.name, s.body.reporter.phone?.replace(/\D/g, "").slice(-11), s.body.reporter.idNumber]
      : [],
  )
  .filter((value): value is string => Boolean(value));

/** Every real-name identity the scenario submits, for the sweep at the end. */
const identities: SubmittedIdentity[] = scenario.steps.flatMap((s) => {
  const reporter = s.body.reporter;
  return reporter?.kind === "real-name" && reporter.name
    ? [
        {
          name: reporter.name,
          ...(reporter.phone ? { phone: reporter.phone } : {}),
          ...(reporter.idNumber ? { idNumber: reporter.idNumber } : {}),
        },
      ]
    : [];
});

let system: RunningSystem;
const kafka = createTestKafka();
const dataDir = mkdtempSync(join(tmpdir(), "clueline-e2e-"));
const startedAt = new Date(Date.now() - 2_000);
const outcomes: { step: Step; complaintId: string; receiptCode?: string; decision: RoutingDecision }[] = [];

async function call(options: {
  service: ServiceName;
  path: string;
  scopes: Scope[];
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
}) {
  const token = await system.tokens.issue({
    subject: `e2e-${options.scopes.join("+")}`,
    scopes: options.scopes,
  });
  const response = await fetch(system.urls[options.service] + options.path, {
    method: options.method ?? (options.body === undefined ? "GET" : "POST"),
    headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...options.headers },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, text, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  system = await startSystem(testInfra(), { dataDir });
}, 180_000);
afterAll(async () => {
  await system?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the whole system: HTTP → Kafka → router → unit streams → inspectors → closure → lifecycle", () => {
  it("routes every scenario complaint as the policy says", async () => {
    for (const [index, step] of scenario.steps.entries()) {
      const body = { ...step.body };
      const at = new Date(Date.now() - (scenario.steps.length - index) * 60_000).toISOString();
      if (step.service === "hotline") Object.assign(body, { startedAt: at, endedAt: at });
      const scopes: Scope[] = step.service === "media" ? ["media:write"] : ["complaint:write"];
      const accepted = await call({
        service: step.service,
        path: step.path,
        scopes,
        body,
        headers: { "idempotency-key": `e2e-${index}` },
      });
      expect(accepted.status, `${step.label}: ${accepted.text}`).toBe(202);
      const complaintId = accepted.body.complaintId as string;
      const receiptCode = accepted.body.receiptCode as string | undefined;
      const decision = await eventually(async () => {
        const found = await call({ service: "router", path: `/v1/decisions/${complaintId}`, scopes: ["commission"] });
        return found.status === 200 ? (found.body as RoutingDecision) : undefined;
      }, `the decision for ${step.label}`);
      outcomes.push({ step, complaintId, ...(receiptCode ? { receiptCode } : {}), decision });

      const want = step.expect;
      if (want.nature) expect(decision.nature, step.label).toBe(want.nature);
      if (want.disciplineLead) expect(decision.discipline?.lead, step.label).toBe(want.disciplineLead);
      if (want.assist) expect(decision.discipline?.assist, step.label).toEqual(want.assist);
      if (want.informed) expect(decision.discipline?.informed, step.label).toEqual(want.informed);
      if (want.serviceLead) expect(decision.service?.lead, step.label).toBe(want.serviceLead);
      if (want.transferTo) expect(decision.transfer?.to, step.label).toBe(want.transferTo);
      if (want.merged !== undefined) expect(decision.mergedInto !== null, step.label).toBe(want.merged);
      if (want.escalated)
        expect(
          decision.reasons.some((r) => r.rule === 5),
          step.label,
        ).toBe(true);
    }
  });

  it("puts plain CloudEvents without reporter identity on the unit streams (read with kcat)", async () => {
    const topic = unitClueTopic("town-chengguan", system.topicPrefix);
    // The router's early record and the ledger's change records share the topic, in no fixed order between them.
    // Whatever is on the topic after five quiet seconds: every record one of the two known types.
    const records = await readTopic({ kafka, topic: topic.name, count: 1_000, timeoutMs: 5_000 });
    const parsed = records.map((record) => parseUnitStreamRecord(record as never));
    expect(new Set(parsed.map((p) => p?.type))).toEqual(new Set(["clueline.unit.clue", "clueline.unit.clue-changed"]));
    const routedRoles = parsed.flatMap((p) => (p?.type === "clueline.unit.clue" ? p.event.data.roles : []));
    expect(routedRoles).toContainEqual({ track: "discipline", role: "lead" });
    const wire = records.map((r) => `${r.value?.toString()} ${JSON.stringify(r.headers)}`).join("\n");
    for (const secret of secrets) expect(wire).not.toContain(secret);

    const kcat = execFileSync(
      "kcat",
      ["-b", testInfra().kafkaBrokers[0] as string, "-C", "-t", topic.name, "-o", "beginning", "-c", "2", "-e", "-f", "%h\n%s\n"],
      { encoding: "utf8" },
    );
    const lines = kcat.trim().split("\n");
    expect(lines).toHaveLength(4);
    for (const [headers, value] of [lines.slice(0, 2), lines.slice(2, 4)] as [string, string][]) {
      expect(headers).toMatch(/ce_specversion=1\.0/);
      expect(headers).toMatch(/ce_type=clueline\.unit\.clue(-changed)?(,|$)/);
      expect(headers).toMatch(/content-type=application\/json/);
      expect(JSON.parse(value).unitId).toBe("town-chengguan");
    }
  });

  it("takes a clue through the inspectors' actions to closed, and answers the anonymous reporter's receipt", async () => {
    const first = outcomes[0];
    const market = outcomes.find((o) => o.step.label.includes("市场监管局"));
    expect(first && market?.receiptCode).toBeTruthy();
    for (const [outcome, unit, disposition, result] of [
      [first, "town-chengguan", "preliminary-verification", "substantiated"],
      [market, "dept-market", "handling", "resolved"],
    ] as const) {
      const clueId = outcome?.decision.clueId as string;
      const scopes: Scope[] = [`unit:${unit}`];
      const detail = await eventually(async () => {
        const found = await call({ service: "closure", path: `/v1/clues/${clueId}`, scopes });
        return found.status === 200 ? found.body : undefined;
      }, `clue ${clueId} in the ledger`);
      const lead = (detail.assignments as { assignmentId: string; unitId: string; role: string }[]).find(
        (a) => a.unitId === unit && a.role === "lead",
      );
      for (const action of [
        { action: "accept" },
        { action: "dispose", disposition },
        { action: "conclude", result, summary: "已核实处理。" },
      ]) {
        const acted = await call({
          service: "closure",
          path: `/v1/assignments/${lead?.assignmentId}/actions`,
          scopes,
          body: action,
        });
        expect(acted.status, acted.text).toBe(200);
      }
      const refused = await call({
        service: "closure",
        path: `/v1/assignments/${lead?.assignmentId}/actions`,
        scopes,
        body: { action: "accept" },
      });
      expect(refused.status).toBe(409);
      expect(refused.body.type).toContain("problems/");
      const replied = await call({
        service: "closure",
        path: `/v1/clues/${clueId}/reply`,
        scopes,
        body: { reply: "已办结，谢谢监督。" },
      });
      expect(replied.status).toBe(204);
      const stranger = await call({ service: "closure", path: `/v1/clues/${clueId}`, scopes: ["unit:town-xiliu"] });
      expect(stranger.status).toBe(404);
    }
    const lookup = await call({
      service: "closure",
      path: "/v1/receipts/lookup",
      scopes: ["complaint:write"],
      body: { code: market?.receiptCode },
    });
    expect(lookup.status).toBe(200);
    expect(lookup.body.reply).toBe("已办结，谢谢监督。");

    const tasks = await call({ service: "closure", path: "/v1/call-backs", scopes: ["complaint:write"] });
    const task = (tasks.body.items as { taskId: string; clueId: string }[]).find((t) => t.clueId === first?.decision.clueId);
    expect(task).toBeDefined();
    const recorded = await call({
      service: "closure",
      path: `/v1/call-backs/${task?.taskId}/result`,
      scopes: ["complaint:write"],
      body: { result: "satisfied" },
    });
    expect(recorded.status).toBe(204);
    const closed = await call({ service: "closure", path: `/v1/clues/${first?.decision.clueId}`, scopes: ["commission"] });
    expect(closed.body.state).toBe("closed");
  });

  it("emits the lifecycle of the closed clue on clueline.clue.lifecycle.v1, once each", async () => {
    const clueId = outcomes[0]?.decision.clueId as string;
    const records = await readTopic({ kafka, topic: system.topicPrefix + lifecycleTopic.name, count: 200, timeoutMs: 10_000 });
    const events = records
      .map((r) => lifecycleTopic.parse(r).data)
      .filter((e) => e.clueId === clueId)
      .map((e) => e.event);
    for (const expected of [
      "clue.opened",
      "assignment.accepted",
      "assignment.concluded",
      "clue.concluded",
      "clue.fed-back",
      "clue.closed",
    ]) {
      expect(events, `lifecycle of ${clueId}`).toContain(expected);
    }
    const ids = records.map((r) => `${r.headers.ce_source}/${r.headers.ce_id}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("never shows a reporter's name or phone in any service's log or error body", async () => {
    const bad = await call({
      service: "hotline",
      path: "/v1/calls",
      scopes: ["complaint:write"],
      body: { reporter: { kind: "real-name", name: "王秀英", phone: "13912345678x" } },
    });
    expect(bad.status).toBe(400);
    expect(bad.text).not.toContain("王秀英");
    expect(bad.text).not.toContain("13912345678");
    const logs = system.output.join("\n");
    expect(system.output.length).toBeGreaterThan(10);
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });

  it("leaves no submitted identity in plain text on any topic, log, ledger table or S3 object (the PII sweep)", async () => {
    // The services stop first: their PGlite databases are read from disk, and every log line is in.
    await system.stop();
    const places = [
      ...(await sweepTopics({ kafka, prefix: system.topicPrefix })),
      { where: "the services' logs", text: system.output.join("\n") },
      ...(await sweepPglite({ label: "closure", dataDir: join(dataDir, "closure") })),
      ...(await sweepPglite({ label: "router", dataDir: join(dataDir, "router") })),
      ...(await sweepBucket({ s3: testInfra().s3, since: startedAt })),
    ];
    const findings = places.flatMap((place) => identities.flatMap((identity) => revealed(place, identity) ?? []));
    // The sweep read what the run wrote: the received topics, the ledger's clues, the logs.
    expect(places.some((p) => p.where.includes("received") && p.text.length > 1_000)).toBe(true);
    expect(
      places.some((p) => p.where.startsWith("closure table") && p.where.includes(".clues (") && !p.where.includes("(0 rows)")),
    ).toBe(true);
    expect(identities.length).toBeGreaterThanOrEqual(3);
    console.log(`PII sweep: ${places.length} places, ${identities.length} identities, ${findings.length} found`);
    expect(findings).toEqual([]);
  }, 120_000);
});
