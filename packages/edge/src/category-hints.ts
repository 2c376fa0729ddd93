import type { Directory } from "@clueline/directory";
import type { FieldProblem } from "@clueline/kit";
import { z } from "@hono/zod-openapi";

/**
 * The `categoryHints` field of every edge's body. Its form is checked by the schema; that each code is in the
 * directory's taxonomy, by the acceptor (the directory can change while the edge runs; see `unknownCategoryHints`).
 */
export const CategoryHints = z
  .array(z.string().regex(/^[a-z0-9-]+$/, "must be a directory id [a-z0-9-]+"))
  .max(20)
  .openapi({
    description:
      "Categories chosen by the sender, each a category code of the directory's taxonomy (DESIGN §5 `categories`, " +
      "the file the router reads); unknown codes are refused: 400 naming `categoryHints.<index>` and the code.",
    example: ["bribe-demand"],
  });

/** The category codes of a directory's taxonomy (DESIGN §5 `categories`): what `categoryHints` may name. */
export type CategoryCodes = ReadonlySet<string>;

/**
 * What an edge keeps of each version of the directory file: only the codes, so the check is one set look-up a hint.
 *
 * @example
 * const holder = await createDirectoryHolder({ path, logger, compile: categoryCodesOf });
 */
export function categoryCodesOf(directory: Directory): CategoryCodes {
  return new Set(directory.categories.map((category) => category.code));
}

/**
 * Issue 19: the categories a hotline operator, a form or a media monitor chose must be the directory's. The router
 * would ignore an unknown one, so the caller would never learn that its choice was lost; refused here instead, each
 * by its index. The code itself is named: it is a taxonomy code (`[a-z0-9-]+`, checked before), not free text.
 *
 * @example
 * unknownCategoryHints(["bribe-demand", "kickbacks"], codes);
 * // [{ path: "categoryHints.1", reason: 'unknown category "kickbacks": not a code of the directory\'s taxonomy' }]
 */
export function unknownCategoryHints(hints: readonly string[] | undefined, codes: CategoryCodes): FieldProblem[] {
  const problems: FieldProblem[] = [];
  hints?.forEach((code, index) => {
    if (!codes.has(code)) {
      problems.push({
        path: `categoryHints.${index}`,
        reason: `unknown category "${code}": not a code of the directory's taxonomy`,
      });
    }
  });
  return problems;
}
