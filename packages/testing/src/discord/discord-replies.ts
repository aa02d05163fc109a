import { STATUS_CODES } from 'node:http';
import type { RESTRateLimit } from 'discord-api-types/v10';
import type { RouteReply } from './discord-router';

/**
 * JSON error body of Topics › Opcodes and Status Codes › JSON Error Codes:
 * `{ message, code }`, with code 0 for plain HTTP errors such as
 * `{"message": "401: Unauthorized", "code": 0}`.
 */
export function replyDiscordError(status: number, code: number, message: string): RouteReply {
  return { status, json: { message, code } };
}

export function replyUnauthorized(): RouteReply {
  return replyDiscordError(401, 0, '401: Unauthorized');
}

export function replyNotFound(): RouteReply {
  return replyDiscordError(404, 0, '404: Not Found');
}

/** An injected server failure; Discord's own 5xx replies carry the same `{ message, code: 0 }` shape. */
export function replyServerError(status: number): RouteReply {
  return replyDiscordError(status, 0, `${status}: ${STATUS_CODES[status] ?? 'Server Error'}`);
}

export function replyMethodNotAllowed(): RouteReply {
  return replyDiscordError(405, 0, '405: Method Not Allowed');
}

/**
 * The OAuth2 endpoints answer in RFC 6749 §5.2 form, not Discord's JSON error
 * form: `{ error, error_description? }`.
 */
export function replyOAuthError(status: 400 | 401, error: string, description?: string): RouteReply {
  return { status, json: description === undefined ? { error } : { error, error_description: description } };
}

export function replyJson(json: unknown, status = 200, headers?: Record<string, string>): RouteReply {
  return { status, json, ...(headers ? { headers } : {}) };
}

export function replyRedirect(location: string): RouteReply {
  return { status: 302, headers: { Location: location } };
}

/**
 * A 429 as Discord sends it (Topics › Rate Limits › Exceeding A Rate Limit):
 * the body's `retry_after` in seconds, the same value rounded up in
 * `Retry-After`, and `X-RateLimit-Scope` saying whose limit was hit.
 */
export function replyRateLimited(retryAfterSeconds: number, isGlobal: boolean, headers: Record<string, string> = {}): RouteReply {
  const body: RESTRateLimit = { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global: isGlobal };
  return {
    status: 429,
    headers: {
      ...headers,
      'Retry-After': String(Math.ceil(retryAfterSeconds)),
      'X-RateLimit-Scope': isGlobal ? 'global' : 'user',
      ...(isGlobal ? { 'X-RateLimit-Global': 'true' } : {}),
    },
    json: body,
  };
}
