import type { Handler } from "hono";

/** Named dependency checks; each resolves when its dependency answers and throws when it does not. */
export type ReadinessChecks = Record<string, () => Promise<void>>;

/** A dependency that does not answer within this time counts as down; probes must stay cheap. */
const CHECK_TIMEOUT_MS = 2_000;

export function readinessHandler(checks: ReadinessChecks): Handler {
  return async function readiness(c) {
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            check(),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error("timeout")), CHECK_TIMEOUT_MS);
            }),
          ]);
          return [name, "up"] as const;
        } catch {
          return [name, "down"] as const;
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    const ready = results.every(([, state]) => state === "up");
    const body = { status: ready ? "ready" : "not-ready", checks: Object.fromEntries(results) };
    return c.json(body, ready ? 200 : 503);
  };
}
