import { SERVICE_AUDIENCES } from "./auth-env.js";
import { createSigningKey, createTokenSigner, type SigningKey, type TokenClaims } from "./token-signer.js";
import type { TokenVerification } from "./token-verifier.js";

/**
 * A throwaway issuer for tests: fresh key pairs, their JWKS, the verification settings a service under test is
 * given, and tokens signed by the first key (or by the key a test names, to test rotation). Tokens are for
 * `audience` and every service's default audience, so the same token works in a unit test and against the
 * running services of a system test.
 *
 * @example
 * const tokens = createTestTokens();
 * const app = createApp({ …, verifier: createTokenVerifier(tokens.verification) });
 * await app.request("/v1/clues", { headers: { authorization: await tokens.bearer(["commission"]) } });
 */
export function createTestTokens(options: { issuer?: string; audience?: string; kids?: string[] } = {}) {
  const issuer = options.issuer ?? "clueline-test";
  const audience = options.audience ?? "clueline-test";
  const keys: SigningKey[] = (options.kids ?? ["test-1"]).map((kid) => createSigningKey({ kid }));
  const signers = keys.map((key) => createTokenSigner({ privateJwk: key.privateJwk, issuer }));
  const jwks = { keys: keys.map((key) => key.publicJwk) };
  const verification: TokenVerification = { jwks, issuer, audience, maxLifetimeSeconds: 3_600 };

  function issue(claims: Partial<TokenClaims> & { scopes: readonly string[]; kid?: string }): Promise<string> {
    const signer = signers.find((candidate) => claims.kid === undefined || candidate.kid === claims.kid);
    if (!signer) throw new Error(`no test key ${claims.kid}`);
    return signer.issue({
      subject: claims.subject ?? "test-caller",
      scopes: claims.scopes,
      audience: claims.audience ?? [audience, ...Object.values(SERVICE_AUDIENCES)],
      ...(claims.ttlSeconds === undefined ? {} : { ttlSeconds: claims.ttlSeconds }),
    });
  }

  return {
    issuer,
    audience,
    keys,
    jwks,
    verification,
    issue,
    /** An `Authorization` header value. */
    async bearer(scopes: readonly string[], subject = "operator-1"): Promise<string> {
      return `Bearer ${await issue({ scopes, subject })}`;
    },
  };
}
export type TestTokens = ReturnType<typeof createTestTokens>;
