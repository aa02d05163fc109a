import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { DiscordStandin } from './discord-standin';
import type { DiscordState } from './discord-state';

export const REDIRECT_URI = 'http://127.0.0.1:3000/auth/discord/callback';

/**
 * A small Discord for the stand-in's own tests: Alice owns one guild, manages
 * one through MANAGE_GUILD, administers one, is a plain member of one and is
 * absent from Bob's private guild. The application has a bot.
 */
export function seedTestWorld(state: DiscordState) {
  const alice = state.addUser({ username: 'alice', global_name: 'Alice', email: 'alice@example.com' });
  const bob = state.addUser({ username: 'bob', email: 'bob@example.com' });
  const application = state.addApplication({ name: 'Weft', redirect_uris: [REDIRECT_URI], bot: { username: 'Weft Bot' } });
  const bot = application.bot!.user;
  const ownedGuild = state.addGuild({ name: 'Alice Workshop', owner_id: alice.id, members: [{ user_id: bot.id }] });
  const managedGuild = state.addGuild({
    name: 'Bob Den',
    owner_id: bob.id,
    members: [{ user_id: alice.id, permissions: PermissionFlagsBits.ManageGuild }],
  });
  const administeredGuild = state.addGuild({
    name: 'Admins Club',
    owner_id: bob.id,
    members: [{ user_id: alice.id, permissions: PermissionFlagsBits.Administrator }],
  });
  const memberGuild = state.addGuild({
    name: 'Town Square',
    owner_id: bob.id,
    members: [{ user_id: alice.id, permissions: PermissionFlagsBits.SendMessages }],
  });
  const foreignGuild = state.addGuild({ name: 'Bob Private', owner_id: bob.id });
  return { alice, bob, application, bot, ownedGuild, managedGuild, administeredGuild, memberGuild, foreignGuild };
}

export interface AuthorizeParams {
  client_id: string;
  scope?: string;
  redirect_uri?: string;
  state?: string;
  response_type?: string;
}

/** What a browser does at the authorize page; the 302 is returned, not followed. */
export function openAuthorizePage(standin: DiscordStandin, params: AuthorizeParams): Promise<Response> {
  const url = new URL('/oauth2/authorize', standin.url);
  url.search = new URLSearchParams({ response_type: 'code', scope: 'identify email guilds', ...params }).toString();
  return fetch(url, { redirect: 'manual' });
}

/** Authorizes and returns the code from the redirect. */
export async function obtainCode(standin: DiscordStandin, params: AuthorizeParams): Promise<string> {
  const response = await openAuthorizePage(standin, { redirect_uri: REDIRECT_URI, ...params });
  const code = new URL(response.headers.get('location') ?? 'http://missing.invalid').searchParams.get('code');
  if (!code) throw new Error(`authorize did not redirect with a code (status ${response.status})`);
  return code;
}

/** POST /oauth2/token with a form body, optionally authenticating the client with HTTP Basic. */
export function postTokenForm(
  standin: DiscordStandin,
  form: Record<string, string>,
  basic?: { clientId: string; clientSecret: string },
  path = '/oauth2/token',
): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (basic) {
    const pair = `${encodeURIComponent(basic.clientId)}:${encodeURIComponent(basic.clientSecret)}`;
    headers.Authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  }
  return fetch(`${standin.apiUrl}${path}`, { method: 'POST', headers, body: new URLSearchParams(form) });
}

export function getWithToken(standin: DiscordStandin, path: string, authorization: string): Promise<Response> {
  return fetch(`${standin.apiUrl}${path}`, { headers: { Authorization: authorization } });
}

/** `Response.json()` is untyped; the tests name what they expect to read. */
export async function readJson<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}
