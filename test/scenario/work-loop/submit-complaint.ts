import { createHash } from "node:crypto";
import type { RoutingDecision } from "@clueline/contracts";
import type { ComplaintSpec } from "./scenario.js";
import { type StepContext, sha256 } from "./step-context.js";

/**
 * The phone of the run's own real-name reporter: a mobile number read off a hash of the run's id, so each run is a
 * new reporter (rule 8 merges its supplement into this run's clue and never into an earlier run's), and the same for
 * every complaint of the run. Never logged.
 *
 * @example
 * runReporterPhone("a1b2c3d4"); // "139…", eleven digits
 */
export function runReporterPhone(runId: string): string {
  const digits = BigInt(`0x${createHash("sha256").update(`work-loop reporter ${runId}`).digest("hex").slice(0, 15)}`);
  return `139${(digits % 100_000_000n).toString().padStart(8, "0")}`;
}

/**
 * Sends one complaint through its edge (with its recording first, when it has one) and waits for the router's
 * decision on it. Call ids and idempotency keys carry the run's id; a real-name reporter without contacts gets the
 * run's phone. `key` names the complaint within the run (idempotency).
 *
 * @example
 * const decision = await submitComplaint(ctx, { label, key: "returned", spec });
 */
export async function submitComplaint(
  ctx: StepContext,
  { label, key, spec }: { label: string; key: string; spec: ComplaintSpec },
): Promise<RoutingDecision> {
  const { deps, files, state, json, check, eventually } = ctx;
  const body: Record<string, unknown> = { ...spec.body };
  const reporter = body.reporter as { kind: string; phone?: string; idNumber?: string } | undefined;
  if (reporter?.kind === "real-name" && !reporter.phone && !reporter.idNumber) {
    body.reporter = { ...reporter, phone: runReporterPhone(deps.runId) };
  }
  if (spec.attach) {
    const file = files[spec.attach];
    const upload = await json<{ evidenceId: string; sha256: string }>(
      label,
      deps.call({
        service: "hotline",
        path: "/v1/recordings",
        scopes: ["complaint:write"],
        bytes: file.bytes,
        headers: { "content-type": file.contentType },
      }),
      201,
    );
    check(label, "the recording's SHA-256", upload.sha256, sha256(file.bytes));
    body.evidence = [upload];
    state.evidence.set(spec.attach, upload.evidenceId);
  }
  if (spec.service === "hotline") {
    const at = new Date().toISOString();
    Object.assign(body, { callId: `${String(body.callId)}-${deps.runId}`, startedAt: at, endedAt: at });
  }
  const accepted = await json<{ complaintId: string }>(
    label,
    deps.call({
      service: spec.service,
      path: spec.path,
      scopes: ["complaint:write"],
      body,
      headers: { "idempotency-key": `work-loop-${deps.runId}-${key}` },
    }),
    202,
  );
  return eventually(`the routing of ${accepted.complaintId}`, async () => {
    const found = await deps.call({ service: "router", path: `/v1/decisions/${accepted.complaintId}`, scopes: ["commission"] });
    return found.status === 200 ? (JSON.parse(found.text) as RoutingDecision) : undefined;
  });
}
