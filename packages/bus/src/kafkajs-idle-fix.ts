import { createRequire } from "node:module";
import { PATCHED_KAFKAJS_VERSION } from "./kafkajs-version.js";

/** The parts of kafkajs's internal RequestQueue (one per broker connection) that the fix below touches. */
export interface RequestQueueInternals {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** kafkajs's own wait before it looks at a queue it could not drain (CHECK_PENDING_REQUESTS_INTERVAL). */
const RECHECK_MS = 10;

/**
 * kafkajs 2.2.4 re-arms a pending-requests check after every check, even with nothing pending and no broker
 * throttle: the delay is then negative, Node runs it after 1 ms, and every broker connection of every client wakes
 * its event loop about a thousand times a second forever (tulios/kafkajs#1556 and #1704, unreleased upstream).
 * Measured here: an idle hotline, two connections, 0.04–0.09 cores doing nothing. Checks still run whenever they
 * can matter: kafkajs checks on every push of a request it could not send at once, every response and every
 * timeout, and this schedules one while requests wait or a throttle runs.
 */
export function scheduleCheckPendingRequests(this: RequestQueueInternals): void {
  if (this.throttleCheckTimeoutId) return;
  const untilUnthrottled = this.throttledUntil - Date.now();
  if (this.pending.length === 0 && untilUnthrottled <= 0) return;
  const delay = untilUnthrottled > 0 ? untilUnthrottled : RECHECK_MS;
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, delay);
}

let patched = false;

/**
 * Puts {@link scheduleCheckPendingRequests} on kafkajs's RequestQueue, once per thread, for the version it was
 * written against only: another version is left as it is (its queue may differ) and said so.
 */
export function patchKafkajsIdleLoop(): { patched: boolean; version: string } {
  const require = createRequire(import.meta.url);
  const { version } = require("kafkajs/package.json") as { version: string };
  if (version !== PATCHED_KAFKAJS_VERSION) return { patched: false, version };
  if (!patched) {
    const RequestQueue = require("kafkajs/src/network/requestQueue/index.js") as { prototype: RequestQueueInternals };
    RequestQueue.prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
    patched = true;
  }
  return { patched: true, version };
}
