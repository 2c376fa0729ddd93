import { expect } from "vitest";

/**
 * Reads `count` SSE events from a streaming response, then hangs up.
 *
 * @example
 * const [event] = await readEvents(await t.call(["unit:town-a"], "/v1/stream"), 1);
 */
export async function readEvents(response: Response, count: number) {
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const events: { id: string; event: string; data: string }[] = [];
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields = Object.fromEntries(
        block.split("\n").map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 2)]),
      );
      if (fields.data !== undefined) events.push({ id: fields.id ?? "", event: fields.event ?? "", data: fields.data });
      end = buffer.indexOf("\n\n");
    }
  }
  await reader.cancel();
  return events;
}
