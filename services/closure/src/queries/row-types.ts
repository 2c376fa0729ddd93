import { z } from "zod";

/*
 * Column types as both engines return them. PostgreSQL (pg) and PGlite both give a timestamptz as a Date, but
 * PGlite gives a bigint as a number where pg gives a string; a jsonb column comes parsed, or as its text.
 */

/** A timestamptz, as the API shows it: an ISO-8601 instant. */
export const Instant = z.union([z.date(), z.string()]).transform((value) => new Date(value).toISOString());

/** A bigint (a seq), as text, as the API shows it. */
export const BigintText = z.union([z.string(), z.number(), z.bigint()]).transform(String);

/** A jsonb column, parsed when a driver hands over its text. */
export const Jsonb = z.unknown().transform((value): unknown => (typeof value === "string" ? JSON.parse(value) : value));
