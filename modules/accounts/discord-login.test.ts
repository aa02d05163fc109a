import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startDiscordStandin, type DiscordStandin } from '@weft/testing';
import { createAccountsHarness, nextIp, PUBLIC_URL, readCookie, type AccountsHarness, type SignedInUser } from './accounts.test-harness';

const CALLBACK = `${PUBLIC_URL}/api/v1/auth/discord/callback`;
let discord: DiscordStandin;
let h: AccountsHarness;

beforeAll(async () => {
  discord = await startDiscordStandin();
  const application = discord.state.addApplication({ redirect_uris: [CALLBACK] });
  h = await createAccountsHarness({
    env: {
      DISCORD_CLIENT_ID: application.id,
      DISCORD_CLIENT_SECRET: application.client_secret,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_AUTHORIZE_URL: `${discord.url}/oauth2/authorize`,
    },
  });
});
afterAll(async () => {
  await h.close();
  await discord.close();
});

interface BrowserRun {
  /** The app's final reply (a redirect to the dashboard, or an error). */
  response: Awaited<ReturnType<AccountsHarness['app']['inject']>>;
  callbackUrl: URL;
}

/**
 * What a browser does: open /auth/discord, follow the redirect to Discord's
 * authorize page (the stand-in consents at once), and come back to the
 * callback with the state cookie, and the session cookie when signed in.
 */
async function walkDiscordFlow(options: { as?: SignedInUser; query?: string; tamper?: (url: URL) => void; dropStateCookie?: boolean } = {}): Promise<BrowserRun> {
  const ip = options.as?.ip ?? nextIp();
  const sessionCookie: Record<string, string> = options.as ? { weft_session: options.as.session } : {};
  const start = await h.app.inject({ method: 'GET', url: `/api/v1/auth/discord${options.query ?? ''}`, cookies: sessionCookie, remoteAddress: ip });
  expect(start.statusCode).toBe(302);
  const authorize = new URL(start.headers.location as string);
  expect(authorize.searchParams.get('scope')).toBe('identify email guilds');
  expect(authorize.searchParams.get('redirect_uri')).toBe(CALLBACK);
  const stateCookie = readCookie(start, 'weft_oauth_state')!;

  const consent = await fetch(authorize, { redirect: 'manual' });
  expect(consent.status).toBe(302);
  const callbackUrl = new URL(consent.headers.get('location')!);
  options.tamper?.(callbackUrl);
  const response = await h.app.inject({
    method: 'GET',
    url: `${callbackUrl.pathname}${callbackUrl.search}`,
    cookies: { ...sessionCookie, ...(options.dropStateCookie ? {} : { weft_oauth_state: stateCookie }) },
    remoteAddress: ip,
  });
  return { response, callbackUrl };
}

async function countUsers(): Promise<number> {
  return (await h.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM users`))[0]!.n;
}

describe('Sign in with Discord', () => {
  it('signs up through Discord: verified email, no password, a session, the signed-up event', async () => {
    const person = discord.state.addUser({ username: 'Pixel Fox', email: 'Pixel.Fox@example.com', verified: true });
    discord.state.setAuthorizingUser(person.id);
    const { response } = await walkDiscordFlow();
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe(`${PUBLIC_URL}/?welcome=discord`);
    const session = readCookie(response, 'weft_session')!;
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/me', cookies: { weft_session: session } });
    expect(me.json()).toMatchObject({ email: 'pixel.fox@example.com', username: 'PixelFox', isEmailVerified: true, hasPassword: false, isDiscordLinked: true });
    const [link] = await h.rows<{ user_id: string }>(sql`SELECT user_id FROM oauth_accounts WHERE provider = 'discord' AND provider_user_id = ${person.id}`);
    expect(link!.user_id).toBe(me.json().id);
    const events = await h.rows(sql`SELECT 1 FROM outbox_events WHERE name = 'accounts.user.signed-up' AND payload->>'method' = 'discord'`);
    expect(events).toHaveLength(1);
  });

  it('signs the same Discord user in again without a second account', async () => {
    const person = discord.state.addUser({ username: 'returning', email: 'returning@example.com', verified: true });
    discord.state.setAuthorizingUser(person.id);
    const first = await walkDiscordFlow();
    const usersAfterFirst = await countUsers();
    const second = await walkDiscordFlow();
    expect(second.response.headers.location).toBe(`${PUBLIC_URL}/`);
    expect(await countUsers()).toBe(usersAfterFirst);
    const idOf = async (run: BrowserRun) =>
      (await h.app.inject({ method: 'GET', url: '/api/v1/me', cookies: { weft_session: readCookie(run.response, 'weft_session')! } })).json().id;
    expect(await idOf(second)).toBe(await idOf(first));
  });

  it('links Discord to the signed-in account, which can then sign in with it', async () => {
    const user = await h.signUp();
    const person = discord.state.addUser({ username: 'linker', email: 'someone-else@example.com', verified: true });
    discord.state.setAuthorizingUser(person.id);
    const usersBefore = await countUsers();
    const { response } = await walkDiscordFlow({ as: user, query: '?link=true' });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe(`${PUBLIC_URL}/settings/account?discord=linked`);
    expect(await countUsers()).toBe(usersBefore);
    expect((await h.injectAs(user, { method: 'GET', url: '/api/v1/me' })).json().isDiscordLinked).toBe(true);

    const signIn = await walkDiscordFlow();
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/me', cookies: { weft_session: readCookie(signIn.response, 'weft_session')! } });
    expect(me.json().id).toBe(user.userId);
    const audit = await h.rows<{ action: string }>(sql`SELECT action FROM audit_log WHERE actor_id = ${user.userId}`);
    expect(audit.map((a) => a.action)).toContain('account.discord.linked');
  });

  it('refuses to link a Discord account that belongs to another user', async () => {
    const owner = await h.signUp();
    const intruder = await h.signUp();
    const person = discord.state.addUser({ username: 'contested', email: 'contested@example.com', verified: true });
    discord.state.setAuthorizingUser(person.id);
    await walkDiscordFlow({ as: owner, query: '?link=true' });
    const { response } = await walkDiscordFlow({ as: intruder, query: '?link=true' });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('ACCOUNTS_DISCORD_ALREADY_LINKED');
    expect((await h.injectAs(intruder, { method: 'GET', url: '/api/v1/me' })).json().isDiscordLinked).toBe(false);
  });

  it('refuses a wrong state, a missing state cookie and a replayed callback, creating nothing', async () => {
    const person = discord.state.addUser({ username: 'victim', email: 'victim@example.com', verified: true });
    discord.state.setAuthorizingUser(person.id);
    const before = await countUsers();
    const forged = await walkDiscordFlow({ tamper: (url) => url.searchParams.set('state', 'attacker-chosen-state') });
    expect(forged.response.statusCode).toBe(400);
    expect(forged.response.json().error.code).toBe('AUTH_OAUTH_STATE_INVALID');
    expect(readCookie(forged.response, 'weft_session')).toBeUndefined();

    const noCookie = await walkDiscordFlow({ dropStateCookie: true });
    expect(noCookie.response.json().error.code).toBe('AUTH_OAUTH_STATE_INVALID');

    const missingState = await walkDiscordFlow({ tamper: (url) => url.searchParams.delete('state') });
    expect(missingState.response.json().error.code).toBe('AUTH_OAUTH_STATE_INVALID');
    expect(await countUsers()).toBe(before);
  });

  it('refuses a callback after the state expired (10 minutes)', async () => {
    const person = discord.state.addUser({ username: 'slowpoke', email: 'slowpoke@example.com', verified: true });
    discord.state.setAuthorizingUser(person.id);
    const { response } = await walkDiscordFlow({ tamper: () => h.clock.advance(10 * 60_000 + 1) });
    expect(response.json().error.code).toBe('AUTH_OAUTH_STATE_INVALID');
  });

  it('does not take over an existing account that has the same email', async () => {
    const user = await h.signUp();
    const person = discord.state.addUser({ username: 'lookalike', email: user.email, verified: true });
    discord.state.setAuthorizingUser(person.id);
    const { response } = await walkDiscordFlow();
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('ACCOUNTS_EMAIL_TAKEN');
    expect((await h.injectAs(user, { method: 'GET', url: '/api/v1/me' })).json().isDiscordLinked).toBe(false);
  });

  it('needs a verified Discord email to sign up', async () => {
    const person = discord.state.addUser({ username: 'unverified', email: 'unverified@example.com', verified: false });
    discord.state.setAuthorizingUser(person.id);
    const before = await countUsers();
    const { response } = await walkDiscordFlow();
    expect(response.json().error.code).toBe('ACCOUNTS_DISCORD_EMAIL_MISSING');
    expect(await countUsers()).toBe(before);
  });

  it('reports a code Discord refuses (already used) without signing in', async () => {
    const person = discord.state.addUser({ username: 'twice', email: 'twice@example.com', verified: true });
    discord.state.setAuthorizingUser(person.id);
    const start = await h.app.inject({ method: 'GET', url: '/api/v1/auth/discord', remoteAddress: nextIp() });
    const consent = await fetch(new URL(start.headers.location as string), { redirect: 'manual' });
    const callback = new URL(consent.headers.get('location')!);
    const cookies = { weft_oauth_state: readCookie(start, 'weft_oauth_state')! };
    const first = await h.app.inject({ method: 'GET', url: `${callback.pathname}${callback.search}`, cookies });
    expect(first.statusCode).toBe(302);
    const replay = await h.app.inject({ method: 'GET', url: `${callback.pathname}${callback.search}`, cookies });
    expect(replay.statusCode).toBe(400);
    expect(replay.json().error.code).toBe('AUTH_OAUTH_FAILED');
  });

  it('needs a signed-in session to start linking', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/api/v1/auth/discord?link=true' });
    expect(response.statusCode).toBe(401);
  });
});
