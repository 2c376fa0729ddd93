/**
 * The error classes a consume loop and an HTTP edge decide on with `instanceof`, never by message text.
 * They live in contracts so that every layer (transport, services) can share them without importing each other.
 */

/** A record that can never be processed as it is: it goes to `<topic>.dlq` and the consumer moves on. */
export class PoisonRecord extends Error {
  override readonly name = "PoisonRecord";
  /** Where in the record the problem is, each with a reason; values are never copied (they may carry identity). */
  readonly problems: readonly { path: string; reason: string }[];
  constructor(message: string, options: { problems?: { path: string; reason: string }[]; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.problems = options.problems ?? [];
  }
}

/** A dependency is unavailable for now (broker, store, database): retry later, do not commit, do not dead-letter. */
export class RetryableOutage extends Error {
  override readonly name = "RetryableOutage";
  readonly dependency: string;
  constructor(dependency: string, options: { cause?: unknown; message?: string } = {}) {
    super(options.message ?? `${dependency} is unavailable; retry later`, { cause: options.cause });
    this.dependency = dependency;
  }
}

/** A state change the domain refuses (an illegal lifecycle transition, an action out of scope). */
export class RefusedTransition extends Error {
  override readonly name = "RefusedTransition";
  readonly from: string;
  readonly action: string;
  constructor(options: { from: string; action: string; message?: string }) {
    super(options.message ?? `cannot ${options.action} from state ${options.from}`);
    this.from = options.from;
    this.action = options.action;
  }
}

/** Turns zod issues into `{ path, reason }` pairs without echoing input values. */
export function problemsOf(issues: readonly { path: readonly PropertyKey[]; message: string }[]) {
  return issues.map((issue) => ({
    path: issue.path.length === 0 ? "(root)" : issue.path.map(String).join("."),
    reason: issue.message,
  }));
}
