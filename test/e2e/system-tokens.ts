import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestTokens, type TestTokens } from "@clueline/kit/test-tokens";

/**
 * A throwaway issuer for the services of a system test: its public keys go to a JWKS file the services read
 * (`AUTH_JWKS`), its private key stays in the test process, which mints every caller's token.
 *
 * @example
 * const { tokens, env } = createSystemTokens();
 * spawn(node, [main], { env: { ...env, … } }); await tokens.issue({ subject: "op", scopes: ["complaint:write"] });
 */
export function createSystemTokens(): { tokens: TestTokens; env: { AUTH_JWKS: string; AUTH_ISSUER: string } } {
  const tokens = createTestTokens({ issuer: "clueline-system-test" });
  const jwksFile = join(mkdtempSync(join(tmpdir(), "clueline-jwks-")), "jwks.json");
  writeFileSync(jwksFile, JSON.stringify(tokens.jwks));
  return { tokens, env: { AUTH_JWKS: jwksFile, AUTH_ISSUER: tokens.issuer } };
}
