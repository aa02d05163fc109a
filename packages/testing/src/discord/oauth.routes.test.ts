import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  PermissionFlagsBits,
  type APIUser,
  type RESTGetAPICurrentUserGuildsResult,
  type RESTPostOAuth2AccessTokenResult,
} from 'discord-api-types/v10';
import { createManualClock } from '@weft/kernel';
import { startDiscordStandin, type DiscordStandin } from './discord-standin';
import {
  REDIRECT_URI,
  getWithToken,
  obtainCode,
  openAuthorizePage,
  postTokenForm,
  readJson,
  seedTestWorld,
} from './seed-test-world';

const clock = createManualClock();
let standin: DiscordStandin;
let world: ReturnType<typeof seedTestWorld>;
let client: { client_id: string; client_secret: string };

beforeEach(async () => {
  standin = await startDiscordStandin({ clock });
  world = seedTestWorld(standin.state);
  client = { client_id: world.application.id, client_secret: world.application.client_secret };
});
afterEach(() => standin.close());

function exchangeCode(code: string, overrides: Record<string, string> = {}): Promise<Response> {
  return postTokenForm(standin, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, ...client, ...overrides });
}

interface OAuthErrorBody {
  error: string;
  error_description?: string;
}

/** Walks authorize and token exchange with the default scopes. */
async function signIn(): Promise<RESTPostOAuth2AccessTokenResult> {
  const code = await obtainCode(standin, { client_id: client.client_id });
  return readJson<RESTPostOAuth2AccessTokenResult>(await exchangeCode(code));
}

describe('authorization-code flow', () => {
  it('signs the user in and lists their guilds with owner and permissions', async () => {
    const authorize = await openAuthorizePage(standin, { client_id: client.client_id, redirect_uri: REDIRECT_URI, state: 'xyz 1' });
    expect(authorize.status).toBe(302);
    const location = new URL(authorize.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('state')).toBe('xyz 1');
    const code = location.searchParams.get('code')!;
    expect(code).toMatch(/^[\w-]{20,}$/);

    const token = await exchangeCode(code);
    expect(token.status).toBe(200);
    expect(token.headers.get('cache-control')).toBe('no-store');
    const tokens = await readJson<RESTPostOAuth2AccessTokenResult>(token);
    expect(tokens).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 604800,
      refresh_token: expect.any(String),
      scope: 'identify email guilds',
    });

    const me = await getWithToken(standin, '/users/@me', `Bearer ${tokens.access_token}`);
    expect(await me.json()).toMatchObject({ id: world.alice.id, username: 'alice', email: 'alice@example.com', verified: true });

    const guildsReply = await getWithToken(standin, '/users/@me/guilds', `Bearer ${tokens.access_token}`);
    const guilds = (await guildsReply.json()) as RESTGetAPICurrentUserGuildsResult;
    const byId = new Map(guilds.map((guild) => [guild.id, guild]));
    expect(byId.has(world.foreignGuild.id)).toBe(false);
    expect(byId.get(world.ownedGuild.id)).toMatchObject({ name: 'Alice Workshop', owner: true });
    expect(BigInt(byId.get(world.ownedGuild.id)!.permissions) & PermissionFlagsBits.Administrator).toBe(PermissionFlagsBits.Administrator);
    expect(byId.get(world.managedGuild.id)).toMatchObject({ owner: false, permissions: String(PermissionFlagsBits.ManageGuild) });
    expect(BigInt(byId.get(world.administeredGuild.id)!.permissions) & PermissionFlagsBits.ManageGuild).toBe(PermissionFlagsBits.ManageGuild);
    expect(byId.get(world.memberGuild.id)).toMatchObject({ owner: false, permissions: String(PermissionFlagsBits.SendMessages) });
  });

  it('logs in as the user chosen with setAuthorizingUser', async () => {
    standin.state.setAuthorizingUser(world.bob.id);
    const tokens = await signIn();
    const me = await getWithToken(standin, '/users/@me', `Bearer ${tokens.access_token}`);
    expect((await readJson<APIUser>(me)).id).toBe(world.bob.id);
  });

  it('accepts client credentials in HTTP Basic instead of the body', async () => {
    const code = await obtainCode(standin, { client_id: client.client_id });
    const reply = await postTokenForm(
      standin,
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI },
      { clientId: client.client_id, clientSecret: client.client_secret },
    );
    expect(reply.status).toBe(200);
  });
});

describe('token exchange refusals', () => {
  it('refuses a code used a second time with invalid_grant', async () => {
    const code = await obtainCode(standin, { client_id: client.client_id });
    expect((await exchangeCode(code)).status).toBe(200);
    const second = await exchangeCode(code);
    expect(second.status).toBe(400);
    expect(await second.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid "code" in request.' });
  });

  it('refuses a code older than ten minutes', async () => {
    const code = await obtainCode(standin, { client_id: client.client_id });
    clock.advance(10 * 60 * 1000 + 1);
    const reply = await exchangeCode(code);
    expect(reply.status).toBe(400);
    expect((await readJson<OAuthErrorBody>(reply)).error).toBe('invalid_grant');
  });

  it('refuses a redirect_uri that differs from the one used to authorize', async () => {
    const code = await obtainCode(standin, { client_id: client.client_id });
    const reply = await exchangeCode(code, { redirect_uri: 'http://127.0.0.1:3000/elsewhere' });
    expect(reply.status).toBe(400);
    expect(await reply.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid "redirect_uri" in request.' });
  });

  it('refuses a wrong client secret with 401 invalid_client and leaves the code usable', async () => {
    const code = await obtainCode(standin, { client_id: client.client_id });
    const wrong = await exchangeCode(code, { client_secret: 'not-the-secret' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: 'invalid_client' });
    const basic = await postTokenForm(standin, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI }, {
      clientId: client.client_id,
      clientSecret: 'not-the-secret',
    });
    expect(basic.status).toBe(401);
    expect((await exchangeCode(code)).status).toBe(200);
  });

  it("refuses another application's code", async () => {
    const other = standin.state.addApplication({ redirect_uris: [REDIRECT_URI] });
    const code = await obtainCode(standin, { client_id: client.client_id });
    const reply = await exchangeCode(code, { client_id: other.id, client_secret: other.client_secret });
    expect(reply.status).toBe(400);
    expect((await readJson<OAuthErrorBody>(reply)).error).toBe('invalid_grant');
  });

  it('refuses a JSON body: the token endpoint reads forms only', async () => {
    const code = await obtainCode(standin, { client_id: client.client_id });
    const reply = await fetch(`${standin.apiUrl}/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, ...client }),
    });
    expect(reply.status).toBe(400);
    expect((await readJson<OAuthErrorBody>(reply)).error).toBe('invalid_request');
  });
});

describe('authorize page refusals', () => {
  it('answers an unregistered redirect_uri with 400 and does not redirect to it', async () => {
    const reply = await openAuthorizePage(standin, { client_id: client.client_id, redirect_uri: 'https://evil.example/cb', state: 's' });
    expect(reply.status).toBe(400);
    expect(reply.headers.get('location')).toBeNull();
    expect(await reply.json()).toEqual({ message: 'Invalid OAuth2 redirect_uri', code: 50035 });
  });

  it('answers an unknown client_id with 400 Unknown Application', async () => {
    const reply = await openAuthorizePage(standin, { client_id: '1', redirect_uri: REDIRECT_URI });
    expect(reply.status).toBe(400);
    expect(reply.headers.get('location')).toBeNull();
    expect(await reply.json()).toEqual({ message: 'Unknown Application', code: 10002 });
  });

  it('sends a denied authorization back with access_denied and the state, once', async () => {
    standin.state.setNextAuthorizationDenied();
    const denied = await openAuthorizePage(standin, { client_id: client.client_id, redirect_uri: REDIRECT_URI, state: 'abc' });
    expect(denied.status).toBe(302);
    const params = new URL(denied.headers.get('location')!).searchParams;
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('error_description')).toBeTruthy();
    expect(params.get('state')).toBe('abc');
    expect(params.has('code')).toBe(false);
    await expect(obtainCode(standin, { client_id: client.client_id })).resolves.toBeTruthy();
  });

  it('sends an unknown scope back with invalid_scope', async () => {
    const reply = await openAuthorizePage(standin, { client_id: client.client_id, redirect_uri: REDIRECT_URI, scope: 'identify superpowers' });
    const params = new URL(reply.headers.get('location')!).searchParams;
    expect(params.get('error')).toBe('invalid_scope');
    expect(params.has('code')).toBe(false);
  });
});

describe('refresh and revocation', () => {
  it('trades a refresh token for a new pair and retires the old refresh token', async () => {
    const first = await signIn();
    const refreshed = await postTokenForm(standin, { grant_type: 'refresh_token', refresh_token: first.refresh_token, ...client });
    expect(refreshed.status).toBe(200);
    const second = await readJson<RESTPostOAuth2AccessTokenResult>(refreshed);
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.scope).toBe('identify email guilds');
    expect((await getWithToken(standin, '/users/@me', `Bearer ${second.access_token}`)).status).toBe(200);

    const reused = await postTokenForm(standin, { grant_type: 'refresh_token', refresh_token: first.refresh_token, ...client });
    expect(reused.status).toBe(400);
    expect((await readJson<OAuthErrorBody>(reused)).error).toBe('invalid_grant');
  });

  it('revoking one token invalidates every token of that user for the application', async () => {
    const tokens = await signIn();
    const revoke = await postTokenForm(standin, { token: tokens.access_token, token_type_hint: 'access_token', ...client }, undefined, '/oauth2/token/revoke');
    expect(revoke.status).toBe(200);
    expect((await getWithToken(standin, '/users/@me', `Bearer ${tokens.access_token}`)).status).toBe(401);
    const refresh = await postTokenForm(standin, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, ...client });
    expect(refresh.status).toBe(400);
  });

  it('expires access tokens after seven days', async () => {
    const tokens = await signIn();
    clock.advance(604_800 * 1000);
    expect((await getWithToken(standin, '/users/@me', `Bearer ${tokens.access_token}`)).status).toBe(401);
  });
});
