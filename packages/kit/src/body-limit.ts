import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HttpProblem } from "./problem.js";

/**
 * Refuses a request body larger than `maxBytes` with a 413 problem before the handler reads it.
 *
 * A body with a declared Content-Length is judged by that header alone (Node's HTTP parser never hands a handler
 * more bytes than it declares), so the request stays on @hono/node-server's direct read path; hono's own
 * `bodyLimit` touches `request.body`, which builds a full web Request and stream for every POST — about a sixth
 * of the hotline's CPU under load. A chunked body (no length) is counted as it streams, by hono's `bodyLimit`.
 *
 * @example
 * app.use(limitBody(64 * 1024));
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  const refuse = (): never => {
    throw new HttpProblem({ status: 413, slug: "body-too-large", title: "The request body is too large" });
  };
  const counting = bodyLimit({ maxSize: maxBytes, onError: refuse });
  return async function limitBodyMiddleware(c, next) {
    const method = c.req.method;
    if (method === "GET" || method === "HEAD" || method === "OPTIONS") return next();
    const declared = c.req.header("content-length");
    if (declared !== undefined && c.req.header("transfer-encoding") === undefined) {
      const length = Number(declared);
      if (!Number.isSafeInteger(length) || length < 0 || length > maxBytes) refuse();
      return next();
    }
    return counting(c, next);
  };
}
