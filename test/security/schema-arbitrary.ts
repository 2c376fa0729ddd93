import fc from "fast-check";

/** A JSON Schema as OpenAPI 3.1 documents write it; only what the generator reads. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

/**
 * Strings that broke or could break a parser, a database or a log line: NUL and other controls, lone surrogates,
 * numbers past every integer type, months out of range, traversal, injection, percent-encodings, huge lengths.
 */
export const nastyStrings = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff",
  "\u0007",
  "\u001b[31m",
  "\u007f",
  "\u009f",
  "\r\n",
  "\ufeff",
  "😀",
  "%00",
  "%",
  "%zz",
  "..",
  "../../etc/passwd",
  "' or '1'='1",
  '"; drop table clues; --',
  "<script>alert(1)</script>",
  "javascript:alert(1)",
  "null",
  "-1",
  "0",
  "1e309",
  "NaN",
  "9999999999999999999",
  "-9999999999999999999",
  "18446744073709551616",
  "0000-01",
  "9999-12",
  "2026-13",
  "2026-00",
  "01ARZ3NDEKTSV4RRFFQ69G5FAV",
  "0".repeat(26),
  "Z".repeat(26),
  "x".repeat(300),
  "长".repeat(5000),
];
const nastyNumbers = [-1, 0, 1.5, -0.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308];

export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...nastyStrings),
  fc.constantFrom(...nastyNumbers),
  fc.constantFrom(null, true, [], {}, [null], { "": null }),
);

/** Resolves `#/components/schemas/X` references against the document. */
export function resolveSchema(schema: JsonSchema, document: unknown): JsonSchema {
  let current = schema;
  for (let hops = 0; current.$ref && hops < 20; hops += 1) {
    const path = current.$ref.replace(/^#\//, "").split("/");
    current = path.reduce<unknown>((node, step) => (node as Record<string, unknown>)?.[step], document) as JsonSchema;
    if (!current) return {};
  }
  return current;
}

function stringOf(schema: JsonSchema): fc.Arbitrary<unknown> {
  const maxLength = Math.min(schema.maxLength ?? 40, 60);
  if (schema.format === "date-time") return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.format === "date") return fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  if (schema.format === "uri") return fc.webUrl();
  if (schema.format === "email") return fc.emailAddress();
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= (schema.maxLength ?? 1_000));
    } catch {
      // a pattern fast-check cannot generate from: plain strings below
    }
  }
  return fc.string({ minLength: Math.min(schema.minLength ?? 0, maxLength), maxLength, unit: "grapheme" });
}

/**
 * Values for a schema: mostly of its shape, so requests get past the first check and reach deeper code, with
 * nasty values mixed in at every level (one in five), so every field's validation is tried too.
 *
 * @example
 * fc.sample(arbitraryFor({ type: "object", properties: { month: { type: "string" } } }, document), 3);
 */
export function arbitraryFor(schema: JsonSchema, document: unknown, depth = 0): fc.Arbitrary<unknown> {
  const resolved = resolveSchema(schema, document);
  const shaped = shapedFor(resolved, document, depth);
  return fc.oneof({ weight: 4, arbitrary: shaped }, { weight: 1, arbitrary: nastyValue });
}

function shapedFor(schema: JsonSchema, document: unknown, depth: number): fc.Arbitrary<unknown> {
  if (depth > 5) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives && alternatives.length > 0) {
    return fc.oneof(...alternatives.map((alternative) => arbitraryFor(alternative, document, depth + 1)));
  }
  if (schema.allOf && schema.allOf.length > 0) {
    const merged = schema.allOf.map((part) => resolveSchema(part, document));
    return shapedFor(
      {
        type: "object",
        properties: Object.assign({}, ...merged.map((part) => part.properties ?? {})),
        required: merged.flatMap((part) => part.required ?? []),
      },
      document,
      depth,
    );
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "string":
      return stringOf(schema);
    case "integer":
      return fc.integer({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000_000 });
    case "number":
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case "boolean":
      return fc.boolean();
    case "array":
      return fc.array(arbitraryFor(schema.items ?? {}, document, depth + 1), {
        minLength: Math.min(schema.minItems ?? 0, 3),
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      });
    case "object":
    case undefined: {
      if (!schema.properties) return type === "object" ? fc.dictionary(fc.string(), fc.jsonValue()) : fc.jsonValue();
      const entries = Object.entries(schema.properties).map(
        ([name, property]) => [name, arbitraryFor(property, document, depth + 1)] as const,
      );
      return fc.record(Object.fromEntries(entries), { requiredKeys: schema.required ?? [] });
    }
    default:
      return fc.jsonValue();
  }
}
