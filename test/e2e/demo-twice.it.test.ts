import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { lifecycleTopic } from "@clueline/contracts";
import { createTestKafka, readTopic, testInfra } from "@clueline/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSystem, serviceNames, startSystemOrReap } from "./system-under-test.js";

/**
 * `npm run demo` twice against one running system, as a newcomer runs it again on the same data: both runs end
 * well, and in the second the same real-name reporter's complaint is merged (rule 8) into the clue the first run
 * closed, which reopens it; the demo's inspector carries the reopened work to closed again and says so.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
let system: RunningSystem;
const kafka = createTestKafka();
const keyDir = mkdtempSync(join(tmpdir(), "clueline-demo-key-"));

async function runDemo(): Promise<string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    AUTH_SIGNING_KEY: join(keyDir, "key.json"),
    AUTH_ISSUER: system.tokens.issuer,
  };
  for (const name of serviceNames) env[`CLUELINE_${name.toUpperCase()}_URL`] = system.urls[name];
  const { stdout } = await promisify(execFile)(process.execPath, [join(root, "scripts/demo.mjs")], {
    cwd: root,
    env,
    timeout: 240_000,
    maxBuffer: 10 * 1024 * 1024,
  });
  return stdout;
}

/** The demo's line for the town-chengguan inspector: the clue, its state and the assignment's state it found. */
function chengguanLine(output: string) {
  const match = /town-chengguan inspector on clue (\S+) \((\S+)\): assignment (\S+)/.exec(output);
  expect(match, output).not.toBeNull();
  return { clueId: match?.[1] as string, clueState: match?.[2], assignmentState: match?.[3] };
}

beforeAll(async () => {
  system = await startSystemOrReap(testInfra());
  // The demo signs its tokens with a private key file, as it does with the checkout's development key.
  writeFileSync(join(keyDir, "key.json"), JSON.stringify(system.tokens.keys[0]?.privateJwk), { mode: 0o600 });
}, 180_000);
afterAll(async () => {
  await system?.stop();
  rmSync(keyDir, { recursive: true, force: true });
});

describe("npm run demo, again and again on the same data", () => {
  it("runs twice; the second run's real-name complaint reopens the clue the first closed", async () => {
    const first = await runDemo();
    const opened = chengguanLine(first);
    expect(opened).toMatchObject({ clueState: "open", assignmentState: "assigned" });
    expect(first).not.toContain("reopened (reopen #");

    const second = await runDemo();
    const reopened = chengguanLine(second);
    expect(reopened).toEqual({ clueId: opened.clueId, clueState: "open", assignmentState: "in-progress" });
    expect(second).toContain(`merged into clue ${opened.clueId} (rule 8), which was already finished: reopened (reopen #1)`);
    expect(second).toMatch(/hotline call-back to the real-name reporter: satisfied → HTTP 204/);
    // What the second run told the inspector, for the test log.
    console.log(
      second
        .split("\n")
        .filter((line) => /merged into|town-chengguan inspector|call-back/.test(line))
        .join("\n"),
    );

    const token = await system.tokens.issue({ subject: "e2e-commission", scopes: ["commission"] });
    const response = await fetch(`${system.urls.closure}/v1/clues/${opened.clueId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const clue = (await response.json()) as {
      state: string;
      reopenCount: number;
      history: { event: string; payload: { reason?: string } }[];
    };
    expect(clue).toMatchObject({ state: "closed", reopenCount: 1 });
    expect(clue.history.filter((e) => e.event === "clue.reopened").map((e) => e.payload.reason)).toEqual(["supplement"]);
    expect(clue.history.filter((e) => e.event === "clue.closed")).toHaveLength(2);

    const records = await readTopic({ kafka, topic: system.topicPrefix + lifecycleTopic.name, count: 400, timeoutMs: 10_000 });
    const reopenings = records
      .map((record) => lifecycleTopic.parse(record).data)
      .filter((event) => event.clueId === opened.clueId && event.event === "clue.reopened");
    expect(reopenings).toEqual([expect.objectContaining({ reason: "supplement", leadUnits: ["town-chengguan"] })]);
  }, 600_000);
});
