/**
 * A fixed-window counter per client address for the webhook routes. The
 * general rate-limit plugin costs more per request than a whole W1 run, and
 * webhooks need only this: N requests per window per address, then 429 with
 * the seconds until the window resets.
 */
export interface WebhookRateLimit {
  /** Seconds to wait, or 0 when the request may go ahead. */
  takeToken(address: string, now: number): number;
}

export function createWebhookRateLimit(max: number, windowMs: number): WebhookRateLimit {
  let windowStart = 0;
  let counts = new Map<string, number>();
  return {
    takeToken(address, now) {
      if (now - windowStart >= windowMs) {
        // One map per window: old addresses are dropped wholesale, memory stays bounded by one window's callers.
        windowStart = now;
        counts = new Map();
      }
      const used = (counts.get(address) ?? 0) + 1;
      counts.set(address, used);
      return used > max ? Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)) : 0;
    },
  };
}
