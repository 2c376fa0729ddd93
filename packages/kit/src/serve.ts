import { serve } from "@hono/node-server";
import type { Hono } from "hono";

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

/** Starts an app on a port (0 picks a free one) and resolves once it listens. */
export function startHttpServer(options: {
  app: Hono<never> | { fetch: Hono["fetch"] };
  port: number;
  hostname?: string;
}): Promise<RunningServer> {
  return new Promise((resolve) => {
    const server = serve({ fetch: options.app.fetch, port: options.port, hostname: options.hostname ?? "127.0.0.1" }, (info) => {
      resolve({
        port: info.port,
        close: () => new Promise<void>((done, fail) => server.close((error) => (error ? fail(error) : done()))),
      });
    });
  });
}
