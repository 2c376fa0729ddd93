import type { Context } from "hono";

/**
 * One field that failed validation: where it is and why, never what it held (free text may name a reporter). The one
 * exception is an unknown category code, a directory id the caller chose from the taxonomy (see the edges' check).
 */
export interface FieldProblem {
  path: string;
  reason: string;
}

/** RFC 9457 problem details, plus clueline's `errors` (per-field reasons) and `requestId` extensions. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldProblem[];
  requestId?: string;
}

const TYPE_BASE = "https://clueline.dev/problems/";

/**
 * An error that renders as `application/problem+json`. Throw it from a handler; the app's error handler renders it.
 *
 * @example
 * throw new HttpProblem({ status: 409, slug: "idempotency-key-reused", title: "Idempotency-Key reused with another body" });
 */
export class HttpProblem extends Error {
  override readonly name = "HttpProblem";
  readonly status: number;
  readonly slug: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldProblem[] | undefined;
  readonly headers: Record<string, string>;
  constructor(options: {
    status: number;
    slug: string;
    title: string;
    detail?: string;
    errors?: FieldProblem[];
    headers?: Record<string, string>;
  }) {
    super(options.detail ?? options.title);
    this.status = options.status;
    this.slug = options.slug;
    this.title = options.title;
    this.detail = options.detail;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }
}

/** Renders a problem response; `requestId` comes from the request-id middleware. */
export function problemResponse(c: Context, problem: HttpProblem): Response {
  const body: ProblemBody = {
    type: TYPE_BASE + problem.slug,
    title: problem.title,
    status: problem.status,
    ...(problem.detail === undefined ? {} : { detail: problem.detail }),
    ...(problem.errors === undefined ? {} : { errors: problem.errors }),
    instance: c.req.path,
    requestId: c.get("requestId" as never) as string | undefined,
  };
  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: { "content-type": "application/problem+json", ...problem.headers },
  });
}
