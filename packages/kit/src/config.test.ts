import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigInvalid, commonEnv, describeConfig, loadConfig } from "./config.js";

const schema = z.object({
  ...commonEnv,
  PORT: z.coerce.number().int().min(1).max(65_535),
  IDENTITY_KEY_SECRET: z.string().min(32),
});

describe("loadConfig", () => {
  it("parses a good environment with defaults", () => {
    const config = loadConfig(schema, { KAFKA_BROKERS: "127.0.0.1:19092", PORT: "8080", IDENTITY_KEY_SECRET: "k".repeat(32) });
    expect(config.PORT).toBe(8080);
    expect(config.LOG_LEVEL).toBe("info");
    expect(config.KAFKA_PARTITIONS).toBe(6);
  });

  it("names every bad variable in one error and never echoes a value", () => {
    const secret = "short-secret-value";
    try {
      loadConfig(schema, {
        KAFKA_BROKERS: "nope",
        PORT: "99999",
        LOG_LEVEL: "loud",
        IDENTITY_KEY_SECRET: secret,
        TOPIC_PREFIX: "",
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigInvalid);
      const problems = (error as ConfigInvalid).problems.map((p) => p.variable).sort();
      expect(problems).toEqual(["IDENTITY_KEY_SECRET", "KAFKA_BROKERS", "LOG_LEVEL", "PORT"]);
      expect((error as Error).message).not.toContain(secret);
      expect((error as Error).message).toContain("KAFKA_BROKERS: expected host:port");
    }
  });

  it("reports a missing required variable", () => {
    expect(() => loadConfig(schema, {})).toThrow(/KAFKA_BROKERS[\s\S]*PORT[\s\S]*IDENTITY_KEY_SECRET/);
  });

  it("masks secrets when describing the configuration", () => {
    const described = describeConfig({ PORT: 1, IDENTITY_KEY_SECRET: "x", DATABASE_URL: "postgres://u:p@h/db" });
    expect(described).toEqual({ PORT: 1, IDENTITY_KEY_SECRET: "***", DATABASE_URL: "***" });
  });
});
