// The development token issuer of a checkout (DESIGN §8): an Ed25519 key pair made once in .data/, the private
// JWK (mode 0600) for `npm run token`, `npm run demo` and the benches, the public JWKS for the services
// (AUTH_JWKS). Signing goes through kit's own signer (TypeScript, loaded by tsx), the one the tests use.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register();
const { createSigningKey, createTokenSigner } = await import("../packages/kit/src/token-signer.ts");
const { SERVICE_AUDIENCES } = await import("../packages/kit/src/auth-env.ts");

const dataDir = join(dirname(fileURLToPath(import.meta.url)), "../.data");
export const DEV_ISSUER = "clueline-dev";
const DEV_SIGNING_KEY_FILE = join(dataDir, "dev-token-key.json");
const DEV_JWKS_FILE = join(dataDir, "dev-jwks.json");
/** Every local service accepts a token for all five audiences. */
export const ALL_AUDIENCES = Object.values(SERVICE_AUDIENCES);

/** Makes the key pair unless both files exist; returns the JWKS path the services read. */
export function ensureDevKeys() {
  if (existsSync(DEV_SIGNING_KEY_FILE) && existsSync(DEV_JWKS_FILE)) return DEV_JWKS_FILE;
  mkdirSync(dataDir, { recursive: true });
  const { privateJwk, publicJwk } = createSigningKey({ kid: `dev-${new Date().toISOString().slice(0, 10)}` });
  writeFileSync(DEV_SIGNING_KEY_FILE, `${JSON.stringify(privateJwk)}\n`, { mode: 0o600 });
  writeFileSync(DEV_JWKS_FILE, `${JSON.stringify({ keys: [publicJwk] }, null, 2)}\n`);
  return DEV_JWKS_FILE;
}

/**
 * A signer with the checkout's development key as clueline-dev, or with the private JWK file AUTH_SIGNING_KEY
 * names as AUTH_ISSUER, to sign for another issuer.
 *
 * @example
 * const token = await createDevSigner().issue({ subject: "me", scopes: ["commission"], audience: ALL_AUDIENCES });
 */
export function createDevSigner() {
  const keyFile = process.env.AUTH_SIGNING_KEY || DEV_SIGNING_KEY_FILE;
  const issuer = process.env.AUTH_ISSUER || DEV_ISSUER;
  if (!existsSync(keyFile)) throw new Error(`no signing key at ${keyFile}: run \`npm start\` once first`);
  return createTokenSigner({ privateJwk: JSON.parse(readFileSync(keyFile, "utf8")), issuer });
}

/**
 * A throwaway issuer for a bench's services: a fresh key pair, its JWKS in a temporary file (`env` goes to the
 * services), and tokens for all five services signed with it.
 *
 * @example
 * const issuer = createThrowawayIssuer({ issuer: "clueline-bench" });
 * spawn(node, [main], { env: { ...issuer.env, … } }); const token = await issuer.issue("op", ["complaint:write"]);
 */
export function createThrowawayIssuer({ issuer }) {
  const { privateJwk, publicJwk } = createSigningKey({ kid: `${issuer}-${Date.now().toString(36)}` });
  const jwksFile = join(mkdtempSync(join(tmpdir(), "clueline-jwks-")), "jwks.json");
  writeFileSync(jwksFile, JSON.stringify({ keys: [publicJwk] }));
  const signer = createTokenSigner({ privateJwk, issuer });
  return {
    env: { AUTH_JWKS: jwksFile, AUTH_ISSUER: issuer },
    issue: (subject, scopes, ttlSeconds = 3600) => signer.issue({ subject, scopes, audience: ALL_AUDIENCES, ttlSeconds }),
  };
}
