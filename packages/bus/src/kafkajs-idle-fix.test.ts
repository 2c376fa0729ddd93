import { createRequire } from "node:module";
import { afterEach, describe, expect, it, vi } from "vitest";
import { patchKafkajsIdleLoop, type RequestQueueInternals, scheduleCheckPendingRequests } from "./kafkajs-idle-fix.js";

function queue(overrides: Partial<RequestQueueInternals> = {}): RequestQueueInternals {
  return {
    pending: [],
    throttledUntil: -1,
    throttleCheckTimeoutId: null,
    checkPendingRequests: vi.fn(),
    scheduleCheckPendingRequests,
    ...overrides,
  };
}

describe("kafkajs idle loop fix", () => {
  afterEach(() => vi.useRealTimers());

  it("schedules nothing when no request waits and no throttle runs", () => {
    vi.useFakeTimers();
    const q = queue();
    q.scheduleCheckPendingRequests();
    expect(q.throttleCheckTimeoutId).toBeNull();
    vi.advanceTimersByTime(100);
    expect(q.checkPendingRequests).not.toHaveBeenCalled();
  });

  it("checks again after 10 ms while requests wait, and at the throttle's end while one runs", () => {
    vi.useFakeTimers();
    const waiting = queue({ pending: [{}] });
    waiting.scheduleCheckPendingRequests();
    vi.advanceTimersByTime(9);
    expect(waiting.checkPendingRequests).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(waiting.checkPendingRequests).toHaveBeenCalledTimes(1);
    expect(waiting.throttleCheckTimeoutId).toBeNull();

    const throttled = queue({ throttledUntil: Date.now() + 250 });
    throttled.scheduleCheckPendingRequests();
    throttled.scheduleCheckPendingRequests(); // one timer at a time
    vi.advanceTimersByTime(249);
    expect(throttled.checkPendingRequests).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(throttled.checkPendingRequests).toHaveBeenCalledTimes(1);
  });

  it("is what kafkajs's request queues run once applied", () => {
    expect(patchKafkajsIdleLoop()).toEqual({ patched: true, version: "2.2.4" });
    const RequestQueue = createRequire(import.meta.url)("kafkajs/src/network/requestQueue/index.js") as {
      prototype: RequestQueueInternals;
    };
    expect(RequestQueue.prototype.scheduleCheckPendingRequests).toBe(scheduleCheckPendingRequests);
  });
});
