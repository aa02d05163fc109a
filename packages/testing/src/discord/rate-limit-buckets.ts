import { createHash } from 'node:crypto';
import type { Clock } from '@weft/kernel';

export interface RateLimitSettings {
  /** Requests allowed per bucket and caller in one window. */
  limit: number;
  windowSeconds: number;
}

/**
 * Discord's per-route limits differ by route and change over time, so clients
 * must read the headers rather than hard-code numbers (Topics › Rate Limits).
 * The default is generous so ordinary tests never wait; tests of a client's
 * rate-limit handling lower it.
 */
export const DEFAULT_RATE_LIMIT: RateLimitSettings = { limit: 50, windowSeconds: 1 };

/**
 * Top-level resources split a route's limit per resource (Topics › Rate Limits:
 * channels, guilds and webhooks); they are not part of the bucket hash.
 */
const MAJOR_PARAMETERS = ['channelId', 'guildId', 'webhookId', 'webhookToken'];

export interface RateLimitRequest {
  method: string;
  routePattern: string;
  params: Readonly<Record<string, string>>;
  /** Who is calling: limits apply per token, or per IP when unauthenticated. */
  caller: string;
}

export interface RateLimitVerdict {
  /** The X-RateLimit-* headers for the reply (Topics › Rate Limits › Header Format). */
  headers: Record<string, string>;
  /** Set when the caller has spent the bucket: the request must be refused with a 429. */
  retryAfterSeconds?: number;
}

interface Window {
  used: number;
  resetsAtMs: number;
}

/** Fixed-window counters per (bucket, top-level resource, caller), as seen from Discord's headers. */
export class RateLimitBuckets {
  readonly settings: RateLimitSettings = { ...DEFAULT_RATE_LIMIT };
  private readonly windows = new Map<string, Window>();

  constructor(private readonly clock: Clock) {}

  consume(request: RateLimitRequest): RateLimitVerdict {
    const bucket = bucketHash(request.method, request.routePattern);
    const majors = MAJOR_PARAMETERS.map((name) => request.params[name] ?? '').join(':');
    const key = `${bucket}|${majors}|${request.caller}`;
    const nowMs = this.clock.now().getTime();
    let window = this.windows.get(key);
    if (!window || window.resetsAtMs <= nowMs) {
      window = { used: 0, resetsAtMs: nowMs + this.settings.windowSeconds * 1000 };
      this.windows.set(key, window);
    }
    const isExceeded = window.used >= this.settings.limit;
    if (!isExceeded) window.used += 1;
    const resetAfterSeconds = (window.resetsAtMs - nowMs) / 1000;
    const headers = {
      'X-RateLimit-Limit': String(this.settings.limit),
      'X-RateLimit-Remaining': String(this.settings.limit - window.used),
      'X-RateLimit-Reset': (window.resetsAtMs / 1000).toFixed(3),
      'X-RateLimit-Reset-After': resetAfterSeconds.toFixed(3),
      'X-RateLimit-Bucket': bucket,
    };
    return isExceeded ? { headers, retryAfterSeconds: resetAfterSeconds } : { headers };
  }

  /** Forgets every window, e.g. after a test changed the settings. */
  reset(): void {
    this.windows.clear();
  }
}

/** Discord's bucket ids are opaque hashes shared by routes with one limit; one per method and route here. */
export function bucketHash(method: string, routePattern: string): string {
  return createHash('sha256').update(`${method} ${routePattern}`).digest('hex').slice(0, 32);
}
