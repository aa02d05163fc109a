import { AppError, sha256Hex } from '@weft/kernel';
import { EngineErrors } from '../../engine.errors';
import type { HttpService } from '../../node-services';

export interface OAuth2ClientCredentials {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope?: string;
  readonly audience?: string;
  /** RFC 6749 §2.3.1: HTTP Basic (recommended) or the client id and secret in the form body. */
  readonly clientAuthentication?: 'basic' | 'body';
}

interface CachedToken {
  readonly accessToken: string;
  readonly expiresAt: number;
}

/** Renew this long before the server's expiry, so a token never dies in flight. */
const EXPIRY_MARGIN_MS = 30_000;
/** RFC 6749 §5.1 makes `expires_in` optional; without it the token is reused only briefly. */
const UNKNOWN_LIFETIME_MS = 60_000;
const TOKEN_RESPONSE_LIMIT = 65_536;
const TOKEN_TIMEOUT_MS = 30_000;

export interface OAuth2TokenCache {
  /** A valid access token, from memory or fetched (once, however many steps ask at the same time). */
  getToken(credentials: OAuth2ClientCredentials, http: HttpService, signal: AbortSignal): Promise<string>;
  /** Forgets the token, after the API refused it. */
  forgetToken(credentials: OAuth2ClientCredentials): void;
}

/**
 * Access tokens cached in memory until shortly before they expire. The key
 * hashes the whole credential, secret included, so two workspaces share a
 * token only when they hold the very same client credentials.
 */
export function createOAuth2TokenCache(options: { maxEntries: number; now?: () => number }): OAuth2TokenCache {
  const now = options.now ?? Date.now;
  const tokens = new Map<string, CachedToken>();
  const pending = new Map<string, Promise<CachedToken>>();
  const keyOf = (credentials: OAuth2ClientCredentials): string =>
    sha256Hex(
      JSON.stringify([
        credentials.tokenUrl,
        credentials.clientId,
        credentials.clientSecret,
        credentials.scope ?? '',
        credentials.audience ?? '',
        credentials.clientAuthentication ?? 'basic',
      ]),
    );

  return {
    async getToken(credentials, http, signal) {
      const key = keyOf(credentials);
      const cached = tokens.get(key);
      if (cached !== undefined && cached.expiresAt > now()) return cached.accessToken;
      let request = pending.get(key);
      if (request === undefined) {
        request = fetchToken(credentials, http, signal, now).finally(() => pending.delete(key));
        pending.set(key, request);
      }
      const token = await request;
      tokens.delete(key);
      tokens.set(key, token);
      // Oldest first in a Map: drop from the front to stay bounded.
      while (tokens.size > options.maxEntries) tokens.delete(tokens.keys().next().value!);
      return token.accessToken;
    },
    forgetToken(credentials) {
      tokens.delete(keyOf(credentials));
    },
  };
}

/** RFC 6749 §4.4: the client credentials grant. */
async function fetchToken(
  credentials: OAuth2ClientCredentials,
  http: HttpService,
  signal: AbortSignal,
  now: () => number,
): Promise<CachedToken> {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (credentials.scope) form.set('scope', credentials.scope);
  if (credentials.audience) form.set('audience', credentials.audience);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if ((credentials.clientAuthentication ?? 'basic') === 'basic') {
    // §2.3.1: each part form-urlencoded before the Basic encoding.
    const pair = `${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  } else {
    form.set('client_id', credentials.clientId);
    form.set('client_secret', credentials.clientSecret);
  }
  const startedAt = now();
  const response = await http.request({
    method: 'POST',
    url: credentials.tokenUrl,
    headers,
    body: form.toString(),
    timeoutMs: TOKEN_TIMEOUT_MS,
    maxResponseBytes: TOKEN_RESPONSE_LIMIT,
    // Client secrets are posted: never let a redirect carry them elsewhere.
    maxRedirects: 0,
    signal,
  });
  let json: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(response.body.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null) json = parsed as Record<string, unknown>;
  } catch {
    // Reported below with the status.
  }
  if (response.status < 200 || response.status >= 300 || typeof json.access_token !== 'string' || json.access_token.length === 0) {
    // §5.2 error and error_description are meant for the client developer; they hold no secret.
    const reason = [json.error, json.error_description].filter((part) => typeof part === 'string').join(': ') || 'no access_token in the reply';
    throw new AppError(EngineErrors.ENGINE_HTTP_AUTH_FAILED, `The OAuth2 token endpoint answered ${response.status}: ${reason}`, {
      status: response.status,
    });
  }
  const expiresIn = typeof json.expires_in === 'number' ? json.expires_in : Number(json.expires_in);
  const lifetime = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : UNKNOWN_LIFETIME_MS;
  // A short-lived token keeps half its life rather than a margin that would exceed it.
  const usable = lifetime > 2 * EXPIRY_MARGIN_MS ? lifetime - EXPIRY_MARGIN_MS : lifetime / 2;
  return { accessToken: json.access_token, expiresAt: startedAt + usable };
}
