import { describe, expect, it } from "vitest";
import { createClientAddress } from "./client-address.js";
import { createRateLimiter } from "./rate-limiter.js";

const headers =
  (values: Record<string, string>) =>
  (name: string): string | undefined =>
    values[name];

describe("client address", () => {
  const behindProxy = createClientAddress({ trustedProxies: ["10.0.0.0/8", "fd00::1"], header: "x-forwarded-for" });

  it("ignores a forwarding header from a peer that is not a trusted proxy", () => {
    const spoofed = headers({ "x-forwarded-for": "203.0.113.7", forwarded: "for=203.0.113.8" });
    expect(behindProxy({ peer: "198.51.100.4", header: spoofed })).toBe("198.51.100.4");
    const noProxies = createClientAddress({ trustedProxies: [], header: "x-forwarded-for" });
    expect(noProxies({ peer: "10.0.0.9", header: spoofed })).toBe("10.0.0.9");
  });

  it("takes the right-most untrusted address a trusted proxy forwarded", () => {
    const chain = headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.9, 10.2.3.4" });
    expect(behindProxy({ peer: "10.0.0.5", header: chain })).toBe("203.0.113.9");
    expect(behindProxy({ peer: "::ffff:10.0.0.5", header: chain })).toBe("203.0.113.9");
    expect(behindProxy({ peer: "fd00::1", header: headers({ "x-forwarded-for": "[2001:db8::7]:4711" }) })).toBe("2001:db8::7");
    // Every hop trusted: the left-most is as far as anyone can tell; garbage stops at the last trusted hop.
    expect(behindProxy({ peer: "10.0.0.5", header: headers({ "x-forwarded-for": "10.9.9.9" }) })).toBe("10.9.9.9");
    expect(behindProxy({ peer: "10.0.0.5", header: headers({ "x-forwarded-for": "unknown, 10.9.9.9" }) })).toBe("10.9.9.9");
    expect(behindProxy({ peer: "10.0.0.5", header: headers({}) })).toBe("10.0.0.5");
  });

  it("reads only the header the proxies write", () => {
    const both = headers({ "x-forwarded-for": "203.0.113.1", forwarded: 'for=6.6.6.6, for="[2001:db8::9]:80";proto=https' });
    expect(behindProxy({ peer: "10.0.0.5", header: both })).toBe("203.0.113.1");
    const rfc7239 = createClientAddress({ trustedProxies: ["10.0.0.0/8"], header: "forwarded" });
    expect(rfc7239({ peer: "10.0.0.5", header: both })).toBe("2001:db8::9");
  });

  it("counts a spoofing client against its own address, and clients behind a proxy apart", () => {
    const limiter = createRateLimiter({ limit: 2, windowMs: 60_000 });
    const take = (peer: string, forwarded: string) =>
      limiter.take(behindProxy({ peer, header: headers({ "x-forwarded-for": forwarded }) })).allowed;
    expect([1, 2, 3].map((n) => take("198.51.100.4", `203.0.113.${n}`))).toEqual([true, true, false]);
    expect([1, 2, 3].map((n) => take("10.0.0.5", `203.0.113.${n}`))).toEqual([true, true, true]);
  });

  it("refuses a trusted-proxy entry that is no address or block", () => {
    expect(() => createClientAddress({ trustedProxies: ["proxy.local"], header: "forwarded" })).toThrow(/proxy.local/);
  });
});
