import type { IncomingHttpHeaders } from 'node:http';

/** What a client sent, kept so tests can assert on it. */
export interface RecordedRequest {
  method: string;
  /** The path without the query string, e.g. `/api/v10/users/@me`. */
  path: string;
  query: Record<string, string>;
  /** Lower-case names. `authorization` keeps only its scheme: `Bearer [redacted]`. */
  headers: Record<string, string>;
  /** The raw body as text; empty when there was none. */
  body: string;
  receivedAt: Date;
}

/**
 * Credentials never enter the log: tests print it on failure, and a token in
 * a CI log is a leaked token once someone points the tests at real Discord.
 */
export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const redacted: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    redacted[name] = name === 'authorization' ? `${text.split(' ')[0]} [redacted]` : text;
  }
  return redacted;
}
