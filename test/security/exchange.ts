/** One request of the sweep and what came back, kept whole for the identity and content checks. */
export interface Exchange {
  label: string;
  status: number;
  contentType: string;
  body: string;
}

/** An event stream stays open; this long is enough for the first events a stream sends at once. */
const STREAM_READ_MS = 1_500;

/**
 * Sends one request. A `text/event-stream` answer is read for {@link STREAM_READ_MS} and then closed, so an
 * open stream neither hangs the sweep nor escapes its body checks.
 *
 * @example
 * const seen = await exchange({ label: "commission GET /v1/clues", url, method: "GET", authorization });
 */
export async function exchange(options: {
  label: string;
  url: string;
  method: string;
  authorization?: string | undefined;
  body?: string | undefined;
  /** A body of bytes instead of text (uploads); its type comes from `headers`. */
  bytes?: Uint8Array;
  headers?: Record<string, string>;
  /** No answer (headers) within this long fails the exchange, so a hang is a finding and not a stuck run. */
  timeoutMs?: number;
}): Promise<Exchange> {
  const controller = new AbortController();
  const hang = options.timeoutMs ? setTimeout(() => controller.abort(), options.timeoutMs) : undefined;
  const response = await fetch(options.url, {
    method: options.method,
    signal: controller.signal,
    headers: {
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
      ...(options.authorization ? { authorization: options.authorization } : {}),
      ...options.headers,
    },
    body: options.bytes ?? options.body,
  }).finally(() => clearTimeout(hang));
  const contentType = response.headers.get("content-type") ?? "";
  const body = contentType.startsWith("text/event-stream") ? await readFor(response, controller) : await response.text();
  return { label: options.label, status: response.status, contentType, body };
}

async function readFor(response: Response, controller: AbortController): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + STREAM_READ_MS;
  const timer = setTimeout(() => controller.abort(), STREAM_READ_MS);
  try {
    while (Date.now() < deadline) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // aborted at the deadline: what arrived is the body
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return text;
}
