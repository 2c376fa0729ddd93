import { z } from "@hono/zod-openapi";
import { decodeCursor } from "../queries/list-clues.js";

/**
 * Path and query parameters as the ledger issues and stores them, so bad input is a 400 naming the parameter and
 * never reaches PostgreSQL (which refuses a NUL byte in text, and a bigint or a year past its range, with a 500).
 */

/** Clue ids come from the router, assignment and call-back task ids from the ledger: ULIDs, upper case. */
export const Ulid = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, "expected a ULID (26 characters of Crockford base32)");

/** A unit id of the directory. */
export const UnitId = z.string().regex(/^[a-z0-9-]{1,128}$/, "expected a unit id ([a-z0-9-], at most 128)");

/**
 * A calendar month the rates can cover: the ledger's clocks and PostgreSQL's timestamps need a real year, and no
 * clue predates 2000 or will outlive 2199.
 */
export const Month = z.string().regex(/^2[01]\d\d-(0[1-9]|1[0-2])$/, "expected YYYY-MM, from 2000-01 to 2199-12");

/** A position in a unit's stream (`unit_clues.seq`), within the integers JavaScript and PostgreSQL both hold exactly. */
export const StreamPosition = z
  .string()
  .regex(/^\d{1,16}$/, { error: "expected a stream position (digits)", abort: true })
  .refine((value) => Number(value) <= Number.MAX_SAFE_INTEGER, "beyond any stream position");

/** A list cursor as `nextCursor` gave it. */
export const Cursor = z
  .string()
  .max(100, { abort: true })
  .refine((cursor) => decodeCursor(cursor) !== null, "not a cursor this API gave");

/** Free text in a query parameter: printable, since it is stored (tab, newline and other control characters refused). */
export const QueryText = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[^\p{Cc}\p{Cs}]*$/u, "control characters are not allowed");
