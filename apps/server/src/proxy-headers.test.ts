import { afterAll, describe, expect, it } from 'vitest';
import type { Platform } from './platform';
import { createTestPlatform } from './test-platform';

/** Behind a trusted reverse proxy the client's address and approximate location come from its headers, and only then. */
const platforms: Platform[] = [];
afterAll(async () => {
  for (const platform of platforms) await platform.close();
});

async function signUpThroughProxy(env: Record<string, string>, username: string) {
  const platform = await createTestPlatform(env);
  platforms.push(platform);
  await platform.app.ready();
  const headers = { 'x-forwarded-for': '203.0.113.7', 'cf-ipcountry': 'DE', 'user-agent': 'Firefox/130.0' };
  const signUp = await platform.app.inject({
    method: 'POST',
    url: '/api/v1/auth/signup',
    headers,
    payload: { email: `${username}@example.test`, username, password: 'a-long-and-unusual-passphrase-9' },
  });
  expect(signUp.statusCode, signUp.body).toBe(201);
  const cookie = signUp.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const sessions = await platform.app.inject({ method: 'GET', url: '/api/v1/me/sessions', headers: { cookie } });
  expect(sessions.statusCode).toBe(200);
  return sessions.json().items[0] as { location: string | null };
}

describe('a trusted proxy', () => {
  it("shows the session's approximate location from the configured header", async () => {
    const session = await signUpThroughProxy({ WEFT_TRUST_PROXY: 'true', WEFT_GEO_HEADER: 'CF-IPCountry' }, 'ada');
    expect(session.location).toBe('DE');
  });

  it('ignores the location header when no proxy is trusted (a client could send anything)', async () => {
    const session = await signUpThroughProxy({ WEFT_GEO_HEADER: 'cf-ipcountry' }, 'eve');
    expect(session.location).toBeNull();
  });
});
