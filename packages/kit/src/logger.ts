import pino, { type DestinationStream, type Logger } from "pino";

/**
 * Paths pino censors wherever they appear two levels deep. Code must not log identity in the first place;
 * this is the second line of defence, and a test proves the first.
 */
export const identityPaths = [
  "reporter",
  "*.reporter",
  "identity",
  "*.identity",
  "phone",
  "idNumber",
  "*.phone",
  "*.idNumber",
  "receiptCode",
  "*.receiptCode",
  "req.headers.authorization",
  'req.headers["x-clueline-signature"]',
];

/**
 * @example
 * const logger = createLogger({ name: "hotline", level: config.LOG_LEVEL });
 * logger.child({ clueId }).info("routed");
 */
export function createLogger(options: { name: string; level?: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? "info",
      redact: { paths: identityPaths, censor: "[redacted]" },
      base: { service: options.name },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

export type { Logger };
