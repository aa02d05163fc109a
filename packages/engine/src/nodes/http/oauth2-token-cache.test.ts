import { describe, expect, it } from 'vitest';
import type { HttpRequest, HttpService } from '../../node-services';
import { createOAuth2TokenCache } from './oauth2-token-cache';

const credentials = { tokenUrl: 'https://auth.test/token', clientId: 'app', clientSecret: 'secret', clientAuthentication: 'body' as const };
const signal = new AbortController().signal;

function createTokenServer(expiresIn: unknown) {
  const requests: HttpRequest[] = [];
  let issued = 0;
  const http: HttpService = {
    async request(request) {
      requests.push(request);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const body = Buffer.from(JSON.stringify({ access_token: `tok-${++issued}`, ...(expiresIn === undefined ? {} : { expires_in: expiresIn }) }));
      return { status: 200, headers: { 'content-type': 'application/json' }, body, url: request.url };
    },
  };
  return { requests, http };
}

describe('createOAuth2TokenCache', () => {
  it('fetches once for concurrent callers and keeps the token until 30 s before it expires', async () => {
    let now = 1_000_000;
    const cache = createOAuth2TokenCache({ maxEntries: 10, now: () => now });
    const { requests, http } = createTokenServer(120);
    const tokens = await Promise.all([1, 2, 3].map(() => cache.getToken(credentials, http, signal)));
    expect(tokens).toEqual(['tok-1', 'tok-1', 'tok-1']);
    expect(requests).toHaveLength(1);
    expect(new URLSearchParams(requests[0]!.body as string).get('client_secret')).toBe('secret');
    expect(requests[0]!.headers.authorization).toBeUndefined();
    now += 89_000;
    expect(await cache.getToken(credentials, http, signal)).toBe('tok-1');
    now += 2_000;
    expect(await cache.getToken(credentials, http, signal)).toBe('tok-2');
  });

  it('keeps a token of unknown lifetime for a minute only, and separates different secrets', async () => {
    let now = 0;
    const cache = createOAuth2TokenCache({ maxEntries: 10, now: () => now });
    const { http } = createTokenServer(undefined);
    expect(await cache.getToken(credentials, http, signal)).toBe('tok-1');
    expect(await cache.getToken({ ...credentials, clientSecret: 'other' }, http, signal)).toBe('tok-2');
    now += 61_000;
    expect(await cache.getToken(credentials, http, signal)).toBe('tok-3');
  });

  it('stays within maxEntries', async () => {
    const cache = createOAuth2TokenCache({ maxEntries: 2 });
    const { requests, http } = createTokenServer(3600);
    for (const clientId of ['a', 'b', 'c', 'a']) await cache.getToken({ ...credentials, clientId }, http, signal);
    // "a" was evicted by "c", so it is fetched again.
    expect(requests).toHaveLength(4);
  });
});
