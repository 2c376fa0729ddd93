import { readFileSync, statSync } from "node:fs";
import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";
import type { Logger } from "pino";

/** Members only a private or symmetric JWK has (RFC 7518 §6): a key set holding one could mint tokens. */
const SECRET_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"];

/** A JWKS a service may verify with; the message says what to fix, never a key's value. */
export class JwksInvalid extends Error {
  override readonly name = "JwksInvalid";
}

/**
 * The key set, checked: public keys only, each with a unique `kid` (tokens pick their key by it).
 *
 * @example
 * const keys = publicKeySetOf(JSON.parse(readFileSync(path, "utf8")));
 */
export function publicKeySetOf(value: unknown): JSONWebKeySet {
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) throw new JwksInvalid("a JWKS needs a non-empty `keys` array");
  const kids = new Set<string>();
  for (const [index, key] of keys.entries()) {
    if (typeof key !== "object" || key === null) throw new JwksInvalid(`keys[${index}] is not an object`);
    if (key.kty === "oct" || SECRET_MEMBERS.some((member) => member in key)) {
      throw new JwksInvalid(`keys[${index}] is private or symmetric: a verifying service must hold public keys only`);
    }
    if (typeof key.kid !== "string" || key.kid === "") throw new JwksInvalid(`keys[${index}] has no kid`);
    if (kids.has(key.kid)) throw new JwksInvalid(`kid ${key.kid} appears twice`);
    kids.add(key.kid);
  }
  return { keys };
}

/** How often a verification may look at the file's modification time: rotation takes effect within this. */
const RECHECK_MS = 5_000;

/**
 * Keys from a JWKS file, read now (a missing or bad file fails the start) and again whenever the file changes,
 * so keys rotate without a restart: add the new `kid`, switch the issuer to it, later remove the old one. A
 * changed file that cannot be used is logged and the keys in force stay.
 *
 * @example
 * const keys = createFileKeySet({ path: ".data/dev-jwks.json" });
 */
export function createFileKeySet(options: {
  path: string;
  logger?: Logger | undefined;
  now?: (() => number) | undefined;
}): JWTVerifyGetKey {
  const now = options.now ?? Date.now;
  const load = () => {
    const { mtimeMs, size } = statSync(options.path);
    const keys = createLocalJWKSet(publicKeySetOf(JSON.parse(readFileSync(options.path, "utf8"))));
    return { keys, version: `${mtimeMs}:${size}` };
  };
  let current = load();
  let checkedAt = now();

  function refresh(): void {
    checkedAt = now();
    try {
      const stat = statSync(options.path);
      if (`${stat.mtimeMs}:${stat.size}` !== current.version) current = load();
    } catch (error) {
      options.logger?.error(
        { path: options.path, reason: (error as Error).message },
        "JWKS file unusable; keeping the keys in force",
      );
    }
  }

  return function keyOf(header, token) {
    if (now() - checkedAt >= RECHECK_MS) refresh();
    return current.keys(header, token);
  };
}
