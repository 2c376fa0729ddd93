import { randomBytes } from "node:crypto";
import { ConfigInvalid } from "@clueline/kit";
import { describe, expect, it } from "vitest";
import { loadClosureConfig, policyOf } from "./config.js";

const key = randomBytes(32).toString("base64");
const minimal = {
  KAFKA_BROKERS: "127.0.0.1:19092",
  AUTH_JWKS: "https://sso.example/jwks.json",
  AUTH_ISSUER: "clueline-sso",
  IDENTITY_KEYS: `k1:${key}`,
  IDENTITY_ACTIVE_KEY: "k1",
};

describe("closure config", () => {
  it("fills the statutory defaults and runs on PGlite without DATABASE_URL", () => {
    const config = loadClosureConfig(minimal);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.COMMISSION_UNIT).toBe("dc");
    expect(config.AUTH_AUDIENCE).toBe("clueline-closure");
    expect(policyOf(config)).toEqual({
      acceptWorkingDays: 5,
      mediaAcceptWorkingDays: 1,
      acceptanceNoticeWorkingDays: 15,
      resultNoticeWorkingDays: 15,
      serviceConcludeDays: 7,
      serviceComplexConcludeDays: 15,
      remindWorkingDaysBefore: 1,
    });
  });

  it("reports every bad variable at once, without echoing values", () => {
    try {
      loadClosureConfig({
        ...minimal,
        IDENTITY_ACTIVE_KEY: "k9",
        AUTH_JWKS: "ftp://short",
        POLICY_SERVICE_COMPLEX_CONCLUDE_DAYS: "3",
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigInvalid);
      const variables = (error as ConfigInvalid).problems.map((p) => p.variable).sort();
      expect(variables).toEqual(["AUTH_JWKS", "IDENTITY_ACTIVE_KEY", "POLICY_SERVICE_COMPLEX_CONCLUDE_DAYS"]);
      expect((error as Error).message).not.toContain("short");
    }
  });

  it("trusts no proxy by default, and takes addresses and CIDR blocks", () => {
    expect(loadClosureConfig(minimal).TRUSTED_PROXIES).toEqual([]);
    const config = loadClosureConfig({ ...minimal, TRUSTED_PROXIES: " 10.0.0.5, 10.1.0.0/16,fd00::/8 " });
    expect(config.TRUSTED_PROXIES).toEqual(["10.0.0.5", "10.1.0.0/16", "fd00::/8"]);
    expect(config.TRUSTED_PROXY_HEADER).toBe("x-forwarded-for");
    for (const bad of ["proxy.local", "10.0.0.0/33", "10.0.0.1/8/1"]) {
      expect(() => loadClosureConfig({ ...minimal, TRUSTED_PROXIES: bad }), bad).toThrow(ConfigInvalid);
    }
  });
});
