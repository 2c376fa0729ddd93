#!/usr/bin/env node
// `npm run demo` (with `npm start` running): pushes the scenario of test/scenario/demo.json through the real
// HTTP edges, shows where each complaint went and why (the router's reasons), then acts as inspectors on the
// closure service and shows the clues' states, and follows an anonymous complaint up by its receipt code.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runInspectorActs } from "./demo-inspectors.mjs";
import { ALL_AUDIENCES, createDevSigner } from "./dev-tokens.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
if (process.argv.includes("--work-loop")) {
  // The work loop moves the deadline scan days ahead, so it runs on a system of its own (issue 17).
  const args = ["--conditions=source", "--import", "tsx", join(root, "test/scenario/work-loop/demo.ts")];
  process.exit(spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" }).status ?? 1);
}
const scenario = JSON.parse(readFileSync(join(root, "test/scenario/demo.json"), "utf8"));
const ports = { hotline: 8081, intake: 8082, media: 8083, closure: 8084, router: 8085 };
const base = (service) => process.env[`CLUELINE_${service.toUpperCase()}_URL`] ?? `http://127.0.0.1:${ports[service]}`;

const signer = createDevSigner();
export function token(subject, scopes) {
  return signer.issue({ subject, scopes, audience: ALL_AUDIENCES });
}

export async function call(service, path, { method = "GET", tokenFor, body, headers = {} } = {}) {
  const response = await fetch(base(service) + path, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${tokenFor}`, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : undefined;
  return { status: response.status, body: json };
}

const run = Date.now().toString(36);
const operator = await token("demo-operator", ["complaint:write"]);
const monitor = await token("demo-monitor", ["media:write"]);
const commission = await token("demo-commission", ["commission"]);

function withTimes(step, index) {
  const at = new Date(Date.now() - (scenario.steps.length - index) * 60_000).toISOString();
  const body = { ...step.body };
  if (step.service === "hotline") Object.assign(body, { startedAt: at, endedAt: at, callId: `${body.callId}-${run}` });
  return body;
}

async function decisionFor(complaintId) {
  for (let attempt = 0; attempt < 60; attempt++) {
    const { status, body } = await call("router", `/v1/decisions/${complaintId}`, { tokenFor: commission });
    if (status === 200) return body;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`no decision for ${complaintId} after 30 s: is the router running?`);
}

function describe(decision) {
  const parts = [`nature ${decision.nature}`];
  if (decision.mergedInto) parts.push(`merged into clue ${decision.mergedInto}`);
  if (decision.discipline)
    parts.push(
      `discipline lead ${decision.discipline.lead}${decision.discipline.assist.length ? ` assist ${decision.discipline.assist.join(",")}` : ""}${decision.discipline.informed.length ? ` informed ${decision.discipline.informed.join(",")}` : ""}`,
    );
  if (decision.service)
    parts.push(
      `service lead ${[decision.service.lead, ...decision.service.coLeads].join(",")} informed ${decision.service.informed.join(",")}`,
    );
  if (decision.transfer) parts.push(`transfer to ${decision.transfer.to}`);
  return parts.join("; ");
}

console.log(`clueline demo — ${scenario.steps.length} complaints through the edges\n`);
const outcomes = [];
for (const [index, step] of scenario.steps.entries()) {
  const tokenFor = step.service === "media" ? monitor : operator;
  const answer = await call(step.service, step.path, {
    method: "POST",
    tokenFor,
    body: withTimes(step, index),
    headers: { "idempotency-key": `demo-${run}-${index}` },
  });
  if (answer.status !== 202) {
    console.log(`✗ ${step.label}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
    process.exitCode = 1;
    continue;
  }
  const decision = await decisionFor(answer.body.complaintId);
  outcomes.push({ step, complaintId: answer.body.complaintId, receiptCode: answer.body.receiptCode, decision });
  console.log(
    `● ${step.label}\n    ${step.service} 202 ${answer.body.complaintId}${answer.body.receiptCode ? ` (receipt code ${answer.body.receiptCode})` : ""}`,
  );
  console.log(`    → ${describe(decision)}`);
  for (const reason of decision.reasons)
    console.log(`      rule ${reason.rule}: ${reason.detail}${reason.matched?.length ? ` [${reason.matched.join("、")}]` : ""}`);
}

await runInspectorActs({ outcomes, call, token });
