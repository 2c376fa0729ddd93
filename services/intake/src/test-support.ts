import { createMemoryPublisher, createTestEdgeDeps } from "@clueline/edge/testing";
import { createApp, type IntakeDeps } from "./app.js";

/** Test-only helpers (excluded from the build): a valid report and an app on throwaway dependencies. */
export function sampleReport(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    form: "web",
    text: "反映区市场监管局某科室办理许可时吃拿卡要。",
    reporter: { kind: "real-name", name: "李四", phone: "+86 139-0000-1111" },
    subjects: { departments: ["dept-market"] },
    ...overrides,
  };
}

export function buildIntake(overrides: Partial<IntakeDeps> = {}) {
  const publisher = createMemoryPublisher();
  const deps: IntakeDeps = {
    ...createTestEdgeDeps({ publisher }),
    topics: { intakeReceived: "test.clueline.intake.received.v1" },
    attachmentMaxBytes: 1024 * 1024,
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
