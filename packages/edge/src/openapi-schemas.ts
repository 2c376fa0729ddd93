import { z } from "@hono/zod-openapi";

/** RFC 9457 problem details as kit renders them, with clueline's `errors` and `requestId` extensions. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string(), reason: z.string() }))
      .optional()
      .openapi({
        description:
          "Each field that failed and why; values are never echoed, except an unknown category code (a code of the " +
          "directory's form `[a-z0-9-]+`, not free text).",
      }),
    requestId: z.string().optional(),
  })
  .openapi("Problem");

export const AcceptedBody = z
  .object({
    complaintId: z.string().openapi({ example: "01JB8Z6Q3V4W5X6Y7Z8A9B0C1D" }),
    receivedAt: z.iso.datetime({ offset: true }),
    receiptCode: z.string().optional().openapi({
      description: "Anonymous reporters only, shown once: the reporter follows up with it. Only its hash is kept.",
      example: "7K2M-QX4T-9HBD-R3NW-5PZC",
    }),
  })
  .openapi("Accepted");

const titles: Record<number, string> = {
  400: "Invalid request: see `errors` for each field",
  401: "Missing or invalid credentials",
  403: "The caller lacks the required scope",
  409: "Idempotency-Key reused with another body",
  413: "Request body too large",
  415: "Unsupported media type",
  422: "Checksum mismatch",
  503: "A dependency (Kafka, S3) is unavailable; nothing was accepted. Retry after `Retry-After` seconds",
};

/**
 * OpenAPI response entries for the given problem statuses, all `application/problem+json`.
 *
 * @example
 * createRoute({ …, responses: { 202: accepted, ...problemResponses(400, 401, 403, 409, 503) } });
 */
export function problemResponses<const N extends number>(...statuses: N[]) {
  const entries = statuses.map((status) => [
    status,
    { description: titles[status] ?? "Problem", content: { "application/problem+json": { schema: Problem } } },
  ]);
  return Object.fromEntries(entries) as Record<
    N,
    { description: string; content: { "application/problem+json": { schema: typeof Problem } } }
  >;
}

/** The 202 response entry of every single-complaint endpoint. */
export const acceptedResponse = {
  description: "Accepted: the broker acknowledged the event (acks = all).",
  content: { "application/json": { schema: AcceptedBody } },
} as const;
