import { BlockList, isIP } from "node:net";

/** The header the trusted proxies write: the de-facto `X-Forwarded-For`, or RFC 7239 `Forwarded`. */
export type ForwardingHeader = "x-forwarded-for" | "forwarded";

/** Where a request came from: the socket's peer and a way to read a request header. */
export type ClientAddressOf = (request: { peer: string | undefined; header: (name: string) => string | undefined }) => string;

/**
 * Whether a `TRUSTED_PROXIES` entry is an IPv4/IPv6 address or CIDR block.
 *
 * @example
 * isAddressOrBlock("10.0.0.0/8"); // true
 */
export function isAddressOrBlock(entry: string): boolean {
  const [address = "", prefix, ...rest] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * The client address a request is counted against: the socket's peer, unless that peer is a trusted proxy; then
 * the right-most address in the forwarding header that is not a trusted proxy (each proxy appends the address it
 * saw, so everything left of it is the client's to choose). Headers from any other peer are ignored, as is the
 * header the proxies do not write: a proxy passes it on as the client sent it.
 *
 * @example
 * const clientAddressOf = createClientAddress({ trustedProxies: ["10.0.0.0/8"], header: "x-forwarded-for" });
 * clientAddressOf({ peer: "10.0.0.5", header: () => "6.6.6.6, 203.0.113.9" }); // "203.0.113.9"
 */
export function createClientAddress(options: { trustedProxies: readonly string[]; header: ForwardingHeader }): ClientAddressOf {
  const trusted = new BlockList();
  for (const entry of options.trustedProxies) {
    if (!isAddressOrBlock(entry)) throw new Error(`not an address or CIDR block: ${entry}`);
    const [address = "", prefix] = entry.split("/");
    const type = isIP(address) === 4 ? "ipv4" : "ipv6";
    if (prefix === undefined) trusted.addAddress(address, type);
    else trusted.addSubnet(address, Number(prefix), type);
  }
  const isTrusted = (address: string) => trusted.check(address, isIP(address) === 4 ? "ipv4" : "ipv6");
  const hopsOf = options.header === "forwarded" ? forwardedFor : (value: string) => value.split(",");

  return function clientAddressOf(request) {
    const peer = normalizeAddress(request.peer);
    if (peer === undefined) return "unknown";
    if (options.trustedProxies.length === 0 || !isTrusted(peer)) return peer;
    const hops = hopsOf(request.header(options.header) ?? "");
    let client = peer;
    for (let index = hops.length - 1; index >= 0; index--) {
      const hop = normalizeAddress(hops[index]);
      // A hop that is no address (`unknown`, an obfuscated name): the last trusted hop is all that is known.
      if (hop === undefined) break;
      client = hop;
      if (!isTrusted(hop)) break;
    }
    return client;
  };
}

/** The `for=` values of an RFC 7239 `Forwarded` header, in order. */
function forwardedFor(value: string): string[] {
  return value.split(",").map((element) => {
    const pair = element.split(";").find((part) => part.trim().toLowerCase().startsWith("for="));
    return pair
      ? pair
          .trim()
          .slice(4)
          .replace(/^"(.*)"$/, "$1")
      : "";
  });
}

/** A bare IPv4 or IPv6 address: brackets, a port and the IPv4-mapped IPv6 prefix removed; undefined for anything else. */
function normalizeAddress(raw: string | undefined): string | undefined {
  let address = raw?.trim() ?? "";
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed?.[1]) address = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(":"));
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) address = mapped[1];
  return isIP(address) === 0 ? undefined : address.toLowerCase();
}
