import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RESTRateLimit } from 'discord-api-types/v10';
import { createManualClock } from '@weft/kernel';
import { startDiscordStandin, type DiscordStandin } from './discord-standin';
import { getWithToken, readJson, seedTestWorld } from './seed-test-world';

const RATE_LIMIT_HEADERS = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-reset-after', 'x-ratelimit-bucket'];

const clock = createManualClock();
let standin: DiscordStandin;
let world: ReturnType<typeof seedTestWorld>;
let bot: string;

beforeEach(async () => {
  standin = await startDiscordStandin({ clock });
  world = seedTestWorld(standin.state);
  bot = `Bot ${world.application.bot!.token}`;
});
afterEach(() => standin.close());

describe('rate limits', () => {
  it('puts the X-RateLimit headers on every REST reply, errors included', async () => {
    const first = await getWithToken(standin, '/users/@me', bot);
    const second = await getWithToken(standin, '/users/@me', bot);
    const refused = await getWithToken(standin, '/users/@me', 'Bearer nope');
    for (const reply of [first, second, refused]) {
      for (const name of RATE_LIMIT_HEADERS) expect(reply.headers.get(name), name).not.toBeNull();
    }
    expect(Number(first.headers.get('x-ratelimit-remaining')) - 1).toBe(Number(second.headers.get('x-ratelimit-remaining')));
    expect(first.headers.get('x-ratelimit-bucket')).toBe(second.headers.get('x-ratelimit-bucket'));
  });

  it('refuses with a 429 once the bucket is spent, until it resets', async () => {
    standin.state.rateLimits.settings.limit = 2;
    await getWithToken(standin, '/users/@me', bot);
    const last = await getWithToken(standin, '/users/@me', bot);
    expect(last.headers.get('x-ratelimit-remaining')).toBe('0');
    const refused = await getWithToken(standin, '/users/@me', bot);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-ratelimit-scope')).toBe('user');
    expect(await refused.json()).toMatchObject({ message: 'You are being rate limited.', global: false });
    clock.advance(1000);
    expect((await getWithToken(standin, '/users/@me', bot)).status).toBe(200);
  });
});

describe('fault injection', () => {
  it('answers an injected 429 with Retry-After and Discord\'s body, once', async () => {
    standin.state.faults.enqueue({ route: 'GET /users/@me', kind: '429', retryAfterSeconds: 2.5 });
    const limited = await getWithToken(standin, '/users/@me', bot);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-reset-after')).toBe('2.500');
    expect(await limited.json()).toEqual({ message: 'You are being rate limited.', retry_after: 2.5, global: false });
    expect((await getWithToken(standin, '/users/@me', bot)).status).toBe(200);
  });

  it('marks an injected global 429', async () => {
    standin.state.faults.enqueue({ kind: '429', retryAfterSeconds: 1, global: true });
    const limited = await getWithToken(standin, '/users/@me/guilds', bot);
    expect(limited.headers.get('x-ratelimit-global')).toBe('true');
    expect(limited.headers.get('x-ratelimit-scope')).toBe('global');
    expect((await readJson<RESTRateLimit>(limited)).global).toBe(true);
  });

  it('leaves other routes alone', async () => {
    standin.state.faults.enqueue({ route: 'GET /users/@me/guilds', kind: '5xx', status: 502 });
    expect((await getWithToken(standin, '/users/@me', bot)).status).toBe(200);
    const failed = await getWithToken(standin, '/users/@me/guilds', bot);
    expect(failed.status).toBe(502);
    expect(await failed.json()).toEqual({ message: '502: Bad Gateway', code: 0 });
    expect(standin.state.faults.size).toBe(0);
  });

  it('drops the connection without a reply', async () => {
    standin.state.faults.enqueue({ route: 'GET /users/@me', kind: 'drop' });
    await expect(getWithToken(standin, '/users/@me', bot)).rejects.toThrow();
    expect(standin.state.requests).toHaveLength(1);
    expect((await getWithToken(standin, '/users/@me', bot)).status).toBe(200);
  });
});

describe('requests and routing', () => {
  it('logs what the client sent, without credential values', async () => {
    await fetch(`${standin.apiUrl}/users/@me?with=1`, { headers: { Authorization: bot, 'User-Agent': 'DiscordBot (weft, 1)' } });
    const [logged] = standin.state.requests;
    expect(logged).toMatchObject({
      method: 'GET',
      path: '/api/v10/users/@me',
      query: { with: '1' },
      headers: { authorization: 'Bot [redacted]', 'user-agent': 'DiscordBot (weft, 1)' },
      body: '',
    });
    expect(JSON.stringify(standin.state.requests)).not.toContain(world.application.bot!.token);
  });

  it('answers unknown routes, wrong methods and retired API versions like Discord', async () => {
    const missing = await fetch(`${standin.apiUrl}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: '404: Not Found', code: 0 });
    const wrongMethod = await fetch(`${standin.apiUrl}/users/@me`, { method: 'DELETE', headers: { Authorization: bot } });
    expect(wrongMethod.status).toBe(405);
    const retired = await fetch(`${standin.url}/api/v6/users/@me`, { headers: { Authorization: bot } });
    expect(retired.status).toBe(400);
    expect(await retired.json()).toEqual({ message: 'Invalid API version', code: 50041 });
    expect((await fetch(`${standin.url}/api/users/@me`, { headers: { Authorization: bot } })).status).toBe(200);
  });

  it('stops listening on close', async () => {
    const url = `${standin.apiUrl}/users/@me`;
    await standin.close();
    await expect(fetch(url)).rejects.toThrow();
    standin = await startDiscordStandin(); // afterEach closes it
  });
});
