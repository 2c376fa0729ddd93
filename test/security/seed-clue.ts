import { mediaSamples } from "@clueline/edge/testing";
import type { ServiceName } from "../e2e/system-under-test.js";
import type { Exchange } from "./exchange.js";
import type { SweepIds } from "./expected-access.js";

/** The seeded real-name reporter: none of this may appear in any answer but the audited reporter read. */
export const SEEDED_REPORTER = { name: "赵春燕", phone: "13807654321", idNumber: "610125198807154028" };
/** Words of the seeded clue only those who may see it can be shown. */
export const SEEDED_MARKER = "核查编号SWEEP七号";

type Send = (options: {
  url: string;
  method: string;
  body?: unknown;
  /** Raw bytes instead of a JSON body (an upload), typed by `headers`. */
  bytes?: Uint8Array;
  headers?: Record<string, string>;
  authorization?: string | undefined;
}) => Promise<Exchange>;

export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 300))) {
    const value = await probe();
    if (value !== undefined) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * A hotline call from a real-name reporter about 城关镇 (led by town-chengguan, the commission informed), with its
 * recording, followed through the router into the closure ledger: the ids the sweeps fill path parameters with.
 */
export async function seedClue(options: {
  urls: Record<ServiceName, string>;
  writer: string | undefined;
  commission: string | undefined;
  send: Send;
}): Promise<SweepIds> {
  const { urls, send } = options;
  const at = new Date().toISOString();
  const upload = await send({
    url: `${urls.hotline}/v1/recordings`,
    method: "POST",
    authorization: options.writer,
    bytes: mediaSamples.wav,
    headers: { "content-type": "audio/wav" },
  });
  if (upload.status !== 201) throw new Error(`seeding recording answered ${upload.status}: ${upload.body}`);
  const recording = JSON.parse(upload.body) as { evidenceId: string; sha256: string };
  const hotline = await send({
    url: `${urls.hotline}/v1/calls`,
    method: "POST",
    authorization: options.writer,
    body: {
      line: "12388",
      callId: "SWEEP-1",
      operatorId: "op-sweep",
      startedAt: at,
      endedAt: at,
      reporter: { kind: "real-name", ...SEEDED_REPORTER },
      summary: `来电人反映城关镇政府工作人员办理宅基地审批时索要好处费，请回电${SEEDED_REPORTER.phone}。${SEEDED_MARKER}`,
      evidence: [{ evidenceId: recording.evidenceId, sha256: recording.sha256 }],
    },
  });
  if (hotline.status !== 202) throw new Error(`seeding call answered ${hotline.status}: ${hotline.body}`);
  const complaintId = (JSON.parse(hotline.body) as { complaintId: string }).complaintId;
  const fetchAs = (url: string) => send({ url, method: "GET", authorization: options.commission });
  const decision = await eventually("the routing decision", async () => {
    const found = await fetchAs(`${urls.router}/v1/decisions/${complaintId}`);
    return found.status === 200 ? (JSON.parse(found.body) as { clueId: string }) : undefined;
  });
  const detail = await eventually("the clue in the closure ledger", async () => {
    const found = await fetchAs(`${urls.closure}/v1/clues/${decision.clueId}`);
    return found.status === 200
      ? (JSON.parse(found.body) as { assignments: { assignmentId: string; unitId: string; role: string }[] })
      : undefined;
  });
  const lead = detail.assignments.find((a) => a.unitId === "town-chengguan" && a.role === "lead");
  if (!lead) throw new Error(`the seeded clue is not assigned to town-chengguan: ${JSON.stringify(detail)}`);
  const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7); // Asia/Shanghai
  // No task is due on the fresh clue: a well-formed id of none (task ids are ULIDs; a malformed one is a 400 for all).
  const taskId = "01J0000000SWEEPN0TASK00000";
  const orderId = "01J0000000SWEEPN0RDER00000";
  const requestId = "01J0000000SWEEPN0REQ000000";
  const returnId = "01J0000000SWEEPN0RET000000";
  return {
    clueId: decision.clueId,
    assignmentId: lead.assignmentId,
    complaintId,
    taskId,
    month,
    evidenceId: recording.evidenceId,
    orderId,
    requestId,
    returnId,
  };
}
