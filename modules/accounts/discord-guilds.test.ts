import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { sql } from 'drizzle-orm';
import { startDiscordStandin, type DiscordStandin } from '@weft/testing';
import { createAccountsHarness, nextIp, PUBLIC_URL, readCookie, type AccountsHarness, type SignedInUser } from './accounts.test-harness';

let discord: DiscordStandin;
let h: AccountsHarness;

beforeAll(async () => {
  discord = await startDiscordStandin();
  const application = discord.state.addApplication({ redirect_uris: [`${PUBLIC_URL}/api/v1/auth/discord/callback`] });
  h = await createAccountsHarness({
    env: { DISCORD_CLIENT_ID: application.id, DISCORD_CLIENT_SECRET: application.client_secret, DISCORD_API_URL: discord.apiUrl, DISCORD_AUTHORIZE_URL: `${discord.url}/oauth2/authorize` },
  });
});
afterAll(async () => {
  await h.close();
  await discord.close();
});

/** The browser's round trip through Discord; `as` links instead of signing in. */
async function walkDiscordFlow(discordUserId: string, as?: SignedInUser) {
  discord.state.setAuthorizingUser(discordUserId);
  const ip = as?.ip ?? nextIp();
  const cookies: Record<string, string> = as ? { weft_session: as.session } : {};
  const start = await h.app.inject({ method: 'GET', url: `/api/v1/auth/discord${as ? '?link=true' : ''}`, cookies, remoteAddress: ip });
  const consent = await fetch(new URL(start.headers.location as string), { redirect: 'manual' });
  const callback = new URL(consent.headers.get('location')!);
  return h.app.inject({ method: 'GET', url: `${callback.pathname}${callback.search}`, cookies: { ...cookies, weft_oauth_state: readCookie(start, 'weft_oauth_state')! }, remoteAddress: ip });
}

describe('servers a user manages, read at Discord sign-in', () => {
  it('linking Discord stores only the managed servers (owner, ADMINISTRATOR, MANAGE_GUILD), never the access token', async () => {
    const user = await h.signUp();
    const person = discord.state.addUser({ username: 'manager', email: 'manager@example.com' });
    const stranger = discord.state.addUser({ username: 'stranger', email: 'stranger@example.com' });
    const owned = discord.state.addGuild({ name: 'Owned', owner_id: person.id });
    const administered = discord.state.addGuild({ name: 'Administered', owner_id: stranger.id });
    const managed = discord.state.addGuild({ name: 'Managed', owner_id: stranger.id });
    const joined = discord.state.addGuild({ name: 'Joined', owner_id: stranger.id });
    discord.state.addMember(administered.id, person.id, P.Administrator);
    discord.state.addMember(managed.id, person.id, P.ManageGuild);
    discord.state.addMember(joined.id, person.id, P.KickMembers | P.ManageMessages);
    expect((await walkDiscordFlow(person.id, user)).statusCode).toBe(302);

    const found = await h.accounts.api.findManagedDiscordGuilds(user.userId);
    expect(found?.discordUserId).toBe(person.id);
    expect(found?.guilds.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [{ id: owned.id, isOwner: true }, { id: administered.id, isOwner: false }, { id: managed.id, isOwner: false }].sort((a, b) => a.id.localeCompare(b.id)),
    );
    const stored = JSON.stringify(await h.rows(sql`SELECT * FROM discord_managed_guilds`));
    expect(stored).not.toContain(joined.id);
    expect(stored).not.toMatch(/access|token/i);

    // Unlinking: the list was read for a Discord account no longer linked, so it grants nothing.
    await h.rows(sql`UPDATE users SET discord_id = NULL WHERE id = ${user.userId}`);
    expect(await h.accounts.api.findManagedDiscordGuilds(user.userId)).toBeNull();
  });

  it('a sign-in whose server list Discord fails to answer still succeeds and keeps the previous list', async () => {
    const person = discord.state.addUser({ username: 'flaky', email: 'flaky@example.com' });
    const guild = discord.state.addGuild({ name: 'Flaky Den', owner_id: person.id });
    expect((await walkDiscordFlow(person.id)).statusCode).toBe(302);
    const [user] = await h.rows<{ id: string }>(sql`SELECT id FROM users WHERE discord_id = ${person.id}`);
    const first = await h.accounts.api.findManagedDiscordGuilds(user!.id);
    expect(first?.guilds).toEqual([{ id: guild.id, isOwner: true }]);

    h.clock.advance(60_000);
    discord.state.faults.enqueue({ route: 'GET /users/@me/guilds', kind: '5xx', status: 502 });
    const signIn = await walkDiscordFlow(person.id);
    expect(signIn.statusCode).toBe(302);
    expect(readCookie(signIn, 'weft_session')).toBeDefined();
    expect((await h.accounts.api.findManagedDiscordGuilds(user!.id))?.fetchedAt).toEqual(first!.fetchedAt);
  });
});
