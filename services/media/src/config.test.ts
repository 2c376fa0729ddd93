import { randomBytes } from "node:crypto";
import { ConfigInvalid, describeConfig, loadConfig } from "@clueline/kit";
import { describe, expect, it } from "vitest";
import { MediaConfig } from "./config.js";

const key = () => randomBytes(32).toString("base64");
const secretA = "a-secret-of-monitor-a-of-32-chars!!";
const secretA2 = "the-next-secret-of-monitor-a-32-chars";
const secretB = "a-secret-of-monitor-b-of-32-chars!!";
const env = {
  KAFKA_BROKERS: "127.0.0.1:19092",
  AUTH_JWKS: "/etc/clueline/jwks.json",
  AUTH_ISSUER: "clueline-sso",
  IDENTITY_KEYS: `k1:${key()}`,
  IDENTITY_ACTIVE_KEY: "k1",
  IDENTITY_HASH_KEY: key(),
  MEDIA_WEBHOOK_SENDER_SECRETS: `monitor-a:${secretA}|${secretA2}, monitor-b:${secretB}`,
};

function problemsOf(overrides: Record<string, string>): { variables: string[]; message: string } {
  try {
    loadConfig(MediaConfig, { ...env, ...overrides });
  } catch (error) {
    if (!(error instanceof ConfigInvalid)) throw error;
    return { variables: error.problems.map((problem) => problem.variable), message: error.message };
  }
  throw new Error("expected the configuration to be refused");
}

describe("MediaConfig", () => {
  it("reads one id and its secrets per webhook sender, and masks them in the start-up log", () => {
    const config = loadConfig(MediaConfig, env);
    expect(config.MEDIA_WEBHOOK_SENDER_SECRETS).toEqual([
      { id: "monitor-a", secrets: [secretA, secretA2] },
      { id: "monitor-b", secrets: [secretB] },
    ]);
    expect(JSON.stringify(describeConfig(config))).not.toContain(secretA);
  });

  it("refuses the retired shared-secret variable with what to write instead", () => {
    const { variables, message } = problemsOf({ MEDIA_WEBHOOK_SECRETS: secretA });
    expect(variables).toEqual(["MEDIA_WEBHOOK_SECRETS"]);
    expect(message).toContain("MEDIA_WEBHOOK_SENDER_SECRETS=<sender-id>:<secret>");
    expect(message).not.toContain(secretA);
  });

  it.each([
    ["an entry without a sender id", secretA],
    ["a sender id outside [a-z0-9-]", `Monitor A:${secretA}`],
    ["a short secret", "monitor-a:short-secret"],
    ["a sender listed twice", `monitor-a:${secretA},monitor-a:${secretA2}`],
    ["a secret shared by two senders", `monitor-a:${secretA},monitor-b:${secretB}|${secretA}`],
  ])("refuses %s without echoing a secret", (_, value) => {
    const { variables, message } = problemsOf({ MEDIA_WEBHOOK_SENDER_SECRETS: value });
    expect(variables).toEqual(["MEDIA_WEBHOOK_SENDER_SECRETS"]);
    expect(message).not.toContain(secretA);
    expect(message).not.toContain("short-secret");
  });
});
