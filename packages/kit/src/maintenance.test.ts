import pino from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startMaintenance } from "./maintenance.js";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe("startMaintenance", () => {
  afterEach(() => vi.useRealTimers());

  it("runs the work once an interval, never two at once, logs each run, and stops after the run in progress", async () => {
    vi.useFakeTimers();
    const { logger, lines } = capture();
    let finish: () => void = () => undefined;
    const work = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const stop = startMaintenance({ name: "vacuum", intervalMs: 1_000, logger, work });
    expect(work).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(work).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(3_000); // still running: no second run starts
    expect(work).toHaveBeenCalledTimes(1);
    const stopped = stop();
    let done = false;
    void stopped.then(() => (done = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(false);
    finish();
    await stopped;
    expect(lines.some((line) => line.msg === "maintenance done" && line.component === "vacuum")).toBe(true);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(work).toHaveBeenCalledTimes(1);
  });

  it("logs a failed run by its error class and runs again at the next interval", async () => {
    vi.useFakeTimers();
    const { logger, lines } = capture();
    const work = vi.fn().mockRejectedValueOnce(new TypeError("boom")).mockResolvedValue(undefined);
    const stop = startMaintenance({ name: "vacuum", intervalMs: 500, logger, work });
    await vi.advanceTimersByTimeAsync(500);
    await vi.advanceTimersByTimeAsync(500);
    await stop();
    expect(work).toHaveBeenCalledTimes(2);
    expect(lines.find((line) => line.msg === "maintenance failed")?.errorClass).toBe("TypeError");
    expect(lines.filter((line) => line.msg === "maintenance done")).toHaveLength(1);
  });
});
