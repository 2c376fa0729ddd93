import { isStorableText } from "@clueline/contracts";
import type { z } from "@hono/zod-openapi";

/**
 * The request body schema, refusing any string in it that the ledger cannot store (the edges' rule,
 * `isStorableText` of the contracts) with a 400 naming the field, instead of a 500 from the database.
 *
 * @example
 * body: { content: { "application/json": { schema: storableText(AssignmentAction) } } }
 */
export function storableText<T extends z.ZodType>(schema: T): T {
  return schema.superRefine((value, ctx) => {
    for (const path of unstorablePaths(value, [])) {
      ctx.addIssue({
        code: "custom",
        path,
        message: "must be well-formed Unicode without control characters (tab and newline allowed)",
      });
    }
  }) as unknown as T;
}

function unstorablePaths(value: unknown, path: (string | number)[]): (string | number)[][] {
  if (typeof value === "string") return isStorableText(value) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((item, index) => unstorablePaths(item, [...path, index]));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => unstorablePaths(item, [...path, key]));
  }
  return [];
}
