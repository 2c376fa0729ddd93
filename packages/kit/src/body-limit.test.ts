import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { limitBody } from "./body-limit.js";
import { HttpProblem } from "./problem.js";

function buildApp() {
  const app = new Hono();
  app.onError((error, c) =>
    c.json({ status: error instanceof HttpProblem ? 413 : 500 }, error instanceof HttpProblem ? 413 : 500),
  );
  app.use(limitBody(16));
  app.post("/echo", async (c) => c.text(await c.req.text()));
  app.get("/echo", (c) => c.text("get"));
  return app;
}

/** A body sent in chunks with no Content-Length, as `Transfer-Encoding: chunked` arrives. */
function chunked(text: string): RequestInit & { duplex: "half" } {
  const bytes = new TextEncoder().encode(text);
  return {
    method: "POST",
    duplex: "half",
    body: new ReadableStream({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 4) controller.enqueue(bytes.subarray(at, at + 4));
        controller.close();
      },
    }),
  };
}

describe("limitBody", () => {
  it("judges a declared Content-Length: at the limit passes whole, one byte over is 413 before the handler reads", async () => {
    const app = buildApp();
    const atLimit = await app.request("/echo", { method: "POST", body: "x".repeat(16), headers: { "content-length": "16" } });
    expect(atLimit.status).toBe(200);
    expect(await atLimit.text()).toBe("x".repeat(16));
    const over = await app.request("/echo", { method: "POST", body: "x".repeat(17), headers: { "content-length": "17" } });
    expect(over.status).toBe(413);
    const nonsense = await app.request("/echo", { method: "POST", body: "x", headers: { "content-length": "1e3" } });
    expect(nonsense.status).toBe(413);
  });

  it("counts a body without a length as it streams", async () => {
    const app = buildApp();
    const small = await app.request("/echo", chunked("twelve bytes"));
    expect(small.status).toBe(200);
    expect(await small.text()).toBe("twelve bytes");
    expect((await app.request("/echo", chunked("x".repeat(40)))).status).toBe(413);
  });

  it("leaves bodiless methods alone", async () => {
    expect((await buildApp().request("/echo")).status).toBe(200);
  });
});
