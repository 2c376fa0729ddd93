import { z } from "zod";

/** One monitoring system allowed to call the webhook: its id names it in `x-clueline-sender` and as `webhook:<id>`. */
export interface WebhookSender {
  id: string;
  /** Newest first is customary; any of them verifies (rotation: add the new one, move the sender, drop the old). */
  secrets: string[];
}

const SENDER_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const MIN_SECRET_LENGTH = 32;

/**
 * `monitor-a:secret1|secret2,monitor-b:secret3` → one {@link WebhookSender} per entry. Refused, without echoing
 * any value (they are secrets): an entry without `id:`, an id outside `[a-z0-9-]`, a secret under 32 characters,
 * an id listed twice, and a secret shared by two senders (either could then sign as the other).
 *
 * @example
 * WebhookSenders.parse("monitor-a:" + "s".repeat(32)); // [{ id: "monitor-a", secrets: ["sss…"] }]
 */
export const WebhookSenders = z.string().transform((value, ctx): WebhookSender[] => {
  const senders: WebhookSender[] = [];
  const fail = (message: string) => {
    ctx.addIssue({ code: "custom", message });
    return z.NEVER;
  };
  for (const [index, entry] of value.split(",").entries()) {
    const colon = entry.indexOf(":");
    const id = entry.slice(0, Math.max(colon, 0)).trim();
    if (colon < 0 || !SENDER_ID.test(id)) {
      return fail(`entry ${index + 1} must be <sender-id>:<secret>[|<secret>], the id of [a-z0-9-]`);
    }
    const secrets = entry
      .slice(colon + 1)
      .split("|")
      .map((secret) => secret.trim());
    if (secrets.some((secret) => secret.length < MIN_SECRET_LENGTH)) {
      return fail(`sender ${id}: each secret needs ≥ ${MIN_SECRET_LENGTH} characters`);
    }
    if (senders.some((sender) => sender.id === id)) return fail(`sender ${id} is listed twice`);
    const shared = senders.find((sender) => sender.secrets.some((secret) => secrets.includes(secret)));
    if (shared) return fail(`senders ${shared.id} and ${id} share a secret; give each sender its own`);
    senders.push({ id, secrets });
  }
  return senders;
});
