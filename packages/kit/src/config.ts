import { z } from "zod";

/** Every bad variable at once, so an operator fixes the environment in one go instead of one per restart. */
export class ConfigInvalid extends Error {
  override readonly name = "ConfigInvalid";
  readonly problems: readonly { variable: string; reason: string }[];
  constructor(problems: { variable: string; reason: string }[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.reason}`).join("\n")}`);
    this.problems = problems;
  }
}

/**
 * Parses the environment through a zod object whose keys are variable names. Values are never echoed
 * in the error: a bad variable may be a secret.
 *
 * @example
 * const config = loadConfig(z.object({ PORT: z.coerce.number().int().default(8080) }), process.env);
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.infer<S> {
  // An empty string means "unset" for every variable; shells and compose files produce them freely.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigInvalid(
    result.error.issues.map((issue) => ({
      variable: issue.path.length > 0 ? issue.path.map(String).join(".") : "(environment)",
      reason: issue.message,
    })),
  );
}

/** Variable names whose values are masked by {@link describeConfig}. */
const SECRET = /SECRET|PASSWORD|TOKEN|KEY|CREDENTIAL|DATABASE_URL/i;

/** The configuration as it may be logged at start: secrets replaced by "***". */
export function describeConfig(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).map(([name, value]) => [name, SECRET.test(name) ? "***" : value]));
}

/** Environment pieces most services share; each service composes its own schema from them. */
export const commonEnv = {
  /** Level for pino: fatal, error, warn, info, debug, trace. */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Comma-separated host:port list of the Kafka bootstrap brokers. */
  KAFKA_BROKERS: z.string().regex(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, "expected host:port[,host:port…]"),
  /** Partitions for topics this service creates; 6 spreads load over the consumers of a small deployment. */
  KAFKA_PARTITIONS: z.coerce.number().int().min(1).max(256).default(6),
  /** Prefix for every topic name; tests set it so they never collide on a shared broker. */
  TOPIC_PREFIX: z
    .string()
    .regex(/^[a-z0-9.-]*$/, "expected [a-z0-9.-]*")
    .default(""),
};
