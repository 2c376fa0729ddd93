import { describe, expect, it } from "vitest";
import { z } from "zod";
import { authEnv, SERVICE_AUDIENCES, tokenVerificationOf } from "./auth-env.js";
import { loadConfig } from "./config.js";

const schema = z.object(authEnv(SERVICE_AUDIENCES.closure));
const problemsOf = (env: Record<string, string>) =>
  schema.safeParse(env).error?.issues.map((issue) => issue.path.join(".")) ?? [];

describe("authEnv", () => {
  it("defaults the audience to the service and the lifetime cap to an hour", () => {
    const config = loadConfig(schema, { AUTH_JWKS: "https://sso.example/jwks.json", AUTH_ISSUER: "clueline-sso" });
    expect(tokenVerificationOf(config)).toEqual({
      jwks: "https://sso.example/jwks.json",
      issuer: "clueline-sso",
      audience: "clueline-closure",
      maxLifetimeSeconds: 3_600,
    });
  });

  it("wants a file path or an http(s) URL, an issuer, and a lifetime cap within reason", () => {
    expect(problemsOf({ AUTH_JWKS: ".data/dev-jwks.json", AUTH_ISSUER: "i" })).toEqual([]);
    expect(problemsOf({ AUTH_JWKS: "ftp://sso.example/jwks.json", AUTH_ISSUER: "i" })).toEqual(["AUTH_JWKS"]);
    expect(problemsOf({ AUTH_JWKS: "jwks.json" })).toEqual(["AUTH_ISSUER"]);
    expect(problemsOf({ AUTH_JWKS: "jwks.json", AUTH_ISSUER: "i", AUTH_MAX_TOKEN_LIFETIME_SECONDS: "604800" })).toEqual([
      "AUTH_MAX_TOKEN_LIFETIME_SECONDS",
    ]);
  });
});
