import { RetryableOutage } from "@clueline/contracts";
import { describe, expect, it } from "vitest";
import { untilConnected } from "./until-connected.js";

const outage = () => new RetryableOutage("kafka", { message: "publisher thread exited (code 1)" });

function connector(failures: Error[]) {
  let calls = 0;
  return {
    connect: async () => {
      const failure = failures[calls];
      calls += 1;
      if (failure) throw failure;
    },
    calls: () => calls,
  };
}

describe("untilConnected", () => {
  it("retries an outage and connects when the broker answers", async () => {
    const warnings: object[] = [];
    const broker = connector([outage(), outage()]);
    await untilConnected(broker.connect, { warn: (fields) => warnings.push(fields) }, [0, 0, 0]);
    expect(broker.calls()).toBe(3);
    expect(warnings.map((w) => (w as { attempt: number }).attempt)).toEqual([1, 2]);
  });

  it("gives up when the outage outlasts the retries, and at once on anything else", async () => {
    const lasting = connector([outage(), outage(), outage()]);
    await expect(untilConnected(lasting.connect, { warn: () => {} }, [0, 0])).rejects.toBeInstanceOf(RetryableOutage);
    expect(lasting.calls()).toBe(3);
    const broken = connector([new Error("bad configuration")]);
    await expect(untilConnected(broken.connect, { warn: () => {} }, [0, 0])).rejects.toThrow("bad configuration");
    expect(broken.calls()).toBe(1);
  });
});
