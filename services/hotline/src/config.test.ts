import { randomBytes } from "node:crypto";
import { ConfigInvalid, loadConfig } from "@clueline/kit";
import { describe, expect, it } from "vitest";
import { HotlineConfig } from "./config.js";

const key = () => randomBytes(32).toString("base64");
const env = {
  KAFKA_BROKERS: "127.0.0.1:19092",
  AUTH_JWKS: "/etc/clueline/jwks.json",
  AUTH_ISSUER: "clueline-sso",
  IDENTITY_KEYS: `k1:${key()},k2:${key()}`,
  IDENTITY_ACTIVE_KEY: "k2",
  IDENTITY_HASH_KEY: key(),
};

describe("HotlineConfig", () => {
  it("parses a minimal environment with defaults", () => {
    const config = loadConfig(HotlineConfig, env);
    expect(config).toMatchObject({
      PORT: 8081,
      AUTH_AUDIENCE: "clueline-hotline",
      AUTH_MAX_TOKEN_LIFETIME_SECONDS: 3_600,
      S3_BUCKET: "clueline-evidence",
      PUBLISH_TIMEOUT_MS: 5_000,
      IDEMPOTENCY_MAX_ENTRIES: 20_000,
      DIRECTORY_POLL_MS: 2_000,
    });
    // Unset: the shipped directory, as for the router.
    expect(config.DIRECTORY_FILE).toBeUndefined();
  });

  it("names each bad variable, including an active key missing from the ring, without echoing secrets", () => {
    const secret = "c2hvcnQ=";
    try {
      loadConfig(HotlineConfig, { ...env, AUTH_JWKS: "ftp://keys", IDENTITY_ACTIVE_KEY: "k9", IDENTITY_HASH_KEY: secret });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigInvalid);
      const variables = (error as ConfigInvalid).problems.map((p) => p.variable).sort();
      expect(variables).toEqual(["AUTH_JWKS", "IDENTITY_ACTIVE_KEY", "IDENTITY_HASH_KEY"]);
      expect((error as Error).message).not.toContain(secret);
    }
    expect(() => loadConfig(HotlineConfig, { ...env, IDENTITY_ACTIVE_KEY: "k9" })).toThrow(/IDENTITY_ACTIVE_KEY/);
    expect(() => loadConfig(HotlineConfig, { ...env, IDENTITY_KEYS: "k1:short" })).toThrow(/IDENTITY_KEYS/);
  });
});
