import type { APIGatewaySessionStartLimit } from 'discord-api-types/v10';
import type { Clock } from '@weft/kernel';

const DAY_MS = 24 * 60 * 60_000;

/**
 * The daily IDENTIFY budget of Topics › Gateway › Session Start Limit: `total`
 * per 24 hours from the first IDENTIFY of the window. RESUME does not count.
 */
export class SessionStartLimits {
  private readonly windows = new Map<string, { startedAtMs: number; used: number }>();

  constructor(
    private readonly clock: Clock,
    readonly total: number,
  ) {}

  /** Takes one start; false when the budget is spent. */
  take(applicationId: string): boolean {
    const window = this.currentWindow(applicationId);
    if (window.used >= this.total) return false;
    window.used += 1;
    return true;
  }

  describe(applicationId: string): APIGatewaySessionStartLimit {
    const window = this.currentWindow(applicationId);
    const resetAfter = window.used === 0 ? DAY_MS : Math.max(0, window.startedAtMs + DAY_MS - this.clock.now().getTime());
    // max_concurrency 1: one IDENTIFY per 5 seconds; clients pace themselves by it, the stand-in does not enforce it.
    return { total: this.total, remaining: this.total - window.used, reset_after: resetAfter, max_concurrency: 1 };
  }

  private currentWindow(applicationId: string): { startedAtMs: number; used: number } {
    const nowMs = this.clock.now().getTime();
    let window = this.windows.get(applicationId);
    if (!window || (window.used > 0 && nowMs >= window.startedAtMs + DAY_MS)) {
      window = { startedAtMs: nowMs, used: 0 };
      this.windows.set(applicationId, window);
    }
    if (window.used === 0) window.startedAtMs = nowMs;
    return window;
  }
}
