import fc from "fast-check";
import type { DocumentedOperation, OpenApiParameter } from "./documented-operations.js";
import type { SweepIds } from "./expected-access.js";
import { arbitraryFor, nastyStrings, nastyValue } from "./schema-arbitrary.js";

/** One generated request against one documented operation. */
export interface FuzzRequest {
  /** Path and query, already encoded. */
  target: string;
  headers: Record<string, string>;
  body: Uint8Array | string | undefined;
}

/** Path segments written raw into the URL: encodings a client library would never produce. */
const rawSegments = ["%00", "%ff", "%c0%80", "..%2f..%2f", "%zz", "%", "%2e%2e", "a%00b", "%e4%b8"];
/** Header values fetch can send (visible Latin-1) that a parser still has to survive. */
const headerValues = [
  "",
  "0",
  "-1",
  "9999999999999999999",
  "1e309",
  "null",
  "a".repeat(2_000),
  "%00",
  "01ARZ3NDEKTSV4RRFFQ69G5FAV",
  "\u00ff\u00fe",
  "bearer",
  "Bearer ",
  "Bearer a.b.c",
  "Basic dXNlcjpwYXNz",
];
const contentTypes = [
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/octet-stream",
  "multipart/form-data",
  "multipart/form-data; boundary=x",
  "application/x-www-form-urlencoded",
  "image/png",
  "audio/mpeg",
  "application/problem+json",
];

const text = (value: unknown) => (typeof value === "string" ? value : (JSON.stringify(value) ?? ""));

/** encodeURIComponent, except that a lone surrogate (which it refuses) goes as the bytes a careless client sends. */
export function encodeLoosely(value: string): string {
  let encoded = "";
  // for…of walks code points: a pair stays whole, a lone surrogate comes alone.
  for (const char of value) {
    const code = char.codePointAt(0) as number;
    const lone = code >= 0xd800 && code <= 0xdfff;
    encoded += lone
      ? `%ED%${(0xa0 | ((code >> 6) & 0x1f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`
      : encodeURIComponent(char);
  }
  return encoded;
}

function pathValue(parameter: OpenApiParameter, operation: DocumentedOperation, ids: SweepIds): fc.Arbitrary<string> {
  const known = (ids as unknown as Record<string, string | undefined>)[parameter.name];
  const encoded = (value: unknown) => encodeLoosely(text(value));
  return fc.oneof(
    ...(known ? [{ weight: 2, arbitrary: fc.constant(encodeURIComponent(known)) }] : []),
    { weight: 2, arbitrary: arbitraryFor(parameter.schema ?? { type: "string" }, operation.document).map(encoded) },
    { weight: 2, arbitrary: fc.constantFrom(...nastyStrings).map(encoded) },
    { weight: 1, arbitrary: fc.constantFrom(...rawSegments) },
  );
}

function queryOf(parameters: OpenApiParameter[], operation: DocumentedOperation): fc.Arbitrary<string> {
  const pairs = parameters.map((parameter) =>
    fc.option(
      fc
        .oneof(
          { weight: 3, arbitrary: arbitraryFor(parameter.schema ?? { type: "string" }, operation.document) },
          { weight: 1, arbitrary: nastyValue },
        )
        .map((value) => `${encodeURIComponent(parameter.name)}=${encodeLoosely(text(value))}`),
      { freq: 3 },
    ),
  );
  const extra = fc.option(fc.constantFrom("cursor=%00", "month=%ff", "limit=%zz", "x=%", "lastEventId=%c0%80"), { freq: 4 });
  return fc.tuple(fc.tuple(...pairs), extra).map(([chosen, raw]) => {
    const parts = [...chosen, raw].filter((part): part is string => typeof part === "string");
    return parts.length > 0 ? `?${parts.join("&")}` : "";
  });
}

function bodyOf(operation: DocumentedOperation): fc.Arbitrary<{ body: Uint8Array | string | undefined; type?: string }> {
  if (operation.method === "GET") return fc.constant({ body: undefined });
  const content = operation.operation.requestBody?.content ?? {};
  const shaped = Object.entries(content).map(([type, { schema }]) =>
    type.includes("json")
      ? arbitraryFor(schema ?? {}, operation.document).map((value) => ({ body: JSON.stringify(value) ?? "null", type }))
      : fc.uint8Array({ maxLength: 2_048 }).map((bytes) => ({ body: bytes, type })),
  );
  return fc.oneof(
    ...shaped.map((arbitrary) => ({ weight: 6, arbitrary })),
    { weight: 1, arbitrary: fc.jsonValue().map((value) => ({ body: JSON.stringify(value) ?? "null" })) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 200 }).map((body) => ({ body })) },
    { weight: 1, arbitrary: fc.constant({ body: undefined }) },
  );
}

/**
 * Requests for one operation as its OpenAPI document describes it: path parameters (the seeded ids, values of
 * their schema, nasty strings, raw percent-encodings), query parameters (each present or not), declared header
 * parameters and the headers every route reads (`Last-Event-ID`, `Idempotency-Key`, `Content-Type`), and a
 * body of the declared schema, any JSON, broken JSON or bytes. The caller is chosen among `authorizations`.
 *
 * @example
 * fc.assert(fc.asyncProperty(fuzzRequest({ operation, ids, authorizations }), send));
 */
export function fuzzRequest(options: {
  operation: DocumentedOperation;
  ids: SweepIds;
  authorizations: string[];
}): fc.Arbitrary<FuzzRequest> {
  const { operation, ids } = options;
  const parameters = operation.operation.parameters ?? [];
  const inPath = parameters.filter((p) => p.in === "path");
  const inQuery = parameters.filter((p) => p.in === "query");
  const inHeader = parameters.filter((p) => p.in === "header");
  const names = [...new Set([...inHeader.map((p) => p.name.toLowerCase()), "last-event-id", "idempotency-key"])];
  const headers = fc.record(Object.fromEntries(names.map((name) => [name, fc.constantFrom(...headerValues)])), {
    requiredKeys: [],
  });
  return fc
    .record({
      path: fc.tuple(...inPath.map((parameter) => pathValue(parameter, operation, ids))),
      query: queryOf(inQuery, operation),
      headers,
      authorization: fc.oneof(
        { weight: 12, arbitrary: fc.constantFrom(...options.authorizations) },
        { weight: 1, arbitrary: fc.constantFrom(...headerValues) },
        { weight: 1, arbitrary: fc.constant(null) },
      ),
      body: bodyOf(operation),
      contentType: fc.option(fc.constantFrom(...contentTypes), { freq: 3 }),
    })
    .map(({ path, query, headers: extra, authorization, body, contentType }) => {
      let index = 0;
      const filled = operation.path.replace(/\{\w+\}/g, () => path[index++] ?? "x");
      const type = contentType ?? body.type ?? (body.body === undefined ? undefined : "application/json");
      return {
        target: filled + query,
        headers: {
          ...extra,
          ...(authorization === null ? {} : { authorization }),
          ...(type === undefined ? {} : { "content-type": type }),
        },
        body: body.body,
      };
    });
}
