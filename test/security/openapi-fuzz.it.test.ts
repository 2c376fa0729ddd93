import { testInfra } from "@clueline/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSystem, serviceNames, startSystemOrReap } from "../e2e/system-under-test.js";
import { type DocumentedOperation, documentedOperations } from "./documented-operations.js";
import { exchange } from "./exchange.js";
import type { SweepIds } from "./expected-access.js";
import { type FuzzRequest, fuzzRequest } from "./fuzz-request.js";
import { seedClue } from "./seed-clue.js";

/**
 * DESIGN §8: every path and query parameter is validated, bad input is a 4xx, never a 5xx. Every operation of the
 * five services' own OpenAPI documents is called with generated paths, queries, headers and bodies against the
 * real system (Kafka, S3, the ledger); no answer may be a 5xx, and every service still answers afterwards.
 * Runs per operation: FUZZ_RUNS (default 40); a failure prints fast-check's seed and the shrunk request.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
/** An answer slower than this counts as a hang: a stream is read for a moment, anything else must be quick. */
const ANSWER_MS = 15_000;

let system: RunningSystem;
let documented: DocumentedOperation[];
let ids: SweepIds;
let authorizations: string[];
const tally = { operations: 0, requests: 0, byStatus: new Map<number, number>() };

async function send(operation: DocumentedOperation, request: FuzzRequest) {
  const body = request.body;
  const answer = await exchange({
    label: `${operation.key} ${request.target}`,
    url: system.urls[operation.service] + request.target,
    method: operation.method,
    headers: request.headers,
    ...(typeof body === "string" ? { body } : {}),
    ...(body instanceof Uint8Array ? { bytes: body } : {}),
    timeoutMs: ANSWER_MS,
  });
  tally.requests += 1;
  tally.byStatus.set(answer.status, (tally.byStatus.get(answer.status) ?? 0) + 1);
  return answer;
}

beforeAll(async () => {
  system = await startSystemOrReap(testInfra());
  const mint = (scopes: string[]) => system.tokens.bearer(scopes, "fuzz");
  // One token that passes every scope check, so generated requests reach validation and the handlers behind it;
  // narrower callers are the scope matrix's subject.
  const everything = await mint([
    "commission",
    "pii:read",
    "complaint:write",
    "media:write",
    "downstream:read",
    "unit:town-chengguan",
  ]);
  authorizations = [everything, await mint(["unit:town-chengguan"]), (await mint(["commission"])).replace("Bearer", "bearer")];
  documented = await documentedOperations(system.urls);
  ids = await seedClue({
    urls: system.urls,
    writer: everything,
    commission: everything,
    send: (request) =>
      exchange({
        label: "seeding",
        ...request,
        authorization: request.authorization,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
      }),
  });
}, 180_000);
afterAll(async () => {
  const statuses = [...tally.byStatus.entries()].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`);
  console.log(`openapi fuzz: ${tally.operations} operations, ${tally.requests} requests; statuses ${statuses.join(" ")}`);
  await system?.stop();
});

describe("OpenAPI fuzzing: no generated request gets a 5xx (DESIGN §8)", () => {
  it("finds operations in all five documents", () => {
    expect(new Set(documented.map((o) => o.service))).toEqual(new Set(serviceNames));
  });

  it.each(serviceNames)(
    "%s: every documented operation, every generated request, 4xx at worst",
    async (service) => {
      const failures: string[] = [];
      for (const operation of documented.filter((o) => o.service === service)) {
        tally.operations += 1;
        const result = await fc.check(
          fc.asyncProperty(fuzzRequest({ operation, ids, authorizations }), async (request) => {
            const answer = await send(operation, request);
            return answer.status < 500;
          }),
          { numRuns: RUNS, endOnFailure: true },
        );
        if (result.failed) {
          const request = result.counterexample?.[0];
          failures.push(`${operation.key}: ${JSON.stringify(request)} (seed ${result.seed})`);
        }
      }
      for (const name of serviceNames) {
        const health = await fetch(`${system.urls[name]}/healthz`);
        expect(health.status, `${name} still answers`).toBe(200);
      }
      expect(failures).toEqual([]);
    },
    600_000,
  );
});
