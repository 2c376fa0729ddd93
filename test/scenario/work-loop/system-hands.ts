import type { RunningSystem } from "../../e2e/system-under-test.js";
import type { WorkLoopDeps } from "./scenario.js";

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
