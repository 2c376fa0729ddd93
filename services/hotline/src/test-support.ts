import { createMemoryPublisher, createTestEdgeDeps } from "@clueline/edge/testing";
import { createApp, type HotlineDeps } from "./app.js";
import type { CallRecord } from "./call-record.js";

/** Test-only helpers (excluded from the build): a valid call record and an app on throwaway dependencies. */
export function sampleCall(overrides: Partial<Record<keyof CallRecord, unknown>> = {}): Record<string, unknown> {
  return {
    line: "12388",
    callId: "C-20240506-0001",
    operatorId: "op-7",
    startedAt: "2024-05-06T09:30:00+08:00",
    endedAt: "2024-05-06T09:36:40+08:00",
    reporter: { kind: "real-name", name: "张三", phone: "13800138000", idNumber: "11010519491231002X" },
    summary: "来电反映城关镇某工作人员办理审批时索要好处费。",
    subjects: { towns: ["chengguan"], persons: [{ name: "王某", rank: "section-chief" }] },
    ...overrides,
  };
}

export function buildHotline(overrides: Partial<HotlineDeps> = {}) {
  const publisher = createMemoryPublisher();
  const deps: HotlineDeps = {
    ...createTestEdgeDeps({ publisher }),
    topics: { hotlineReceived: "test.clueline.hotline.received.v1" },
    recordingMaxBytes: 1024 * 1024,
    ...overrides,
  };
  const app = createApp(deps);
  const post = (path: string, body: unknown, headers: Record<string, string>) =>
    app.request(path, {
      method: "POST",
      body: typeof body === "string" ? body : JSON.stringify(body),
      headers: { "content-type": "application/json", ...headers },
    });
  return { app, deps, publisher, post };
}
