import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { sql } from 'drizzle-orm';
import { queryRows } from '@weft/db';
import { createLogger } from '@weft/kernel';
import { seedBotWorld, type BotWorld } from '@weft/testing';
import type { GatewayRuntime } from '@weft/bots';
import { asUser, createBotsHarness, type BotsHarness } from './test-fixtures/bots-harness';
import { signInWithDiscord, type DashboardBrowser } from './test-fixtures/discord-sign-in';

let h: BotsHarness;
let world: BotWorld;
let botId: string;
let runtime: GatewayRuntime;
/** A server owned by someone else (carol), with the same bot in it. */
let carolGuildId: string;
let carolId: string;
const STAFF_URL = '/api/v1/me/discord/guilds';
const settingsUrl = (guildId: string, bot = botId) => `${STAFF_URL}/${guildId}/bots/${bot}/settings`;
const SETTINGS = { enabledFeatures: ['welcome', 'moderation'], channels: { welcome: '', logs: '' }, staffRoleIds: [] as string[] };

async function waitFor<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in time; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function staffCall(browser: DashboardBrowser, method: 'GET' | 'PUT', url: string, payload?: object) {
  return h.app.inject({ method, url, cookies: browser.cookies, headers: browser.headers, remoteAddress: browser.ip, ...(payload ? { payload } : {}) });
}

const settingsRow = async (guildId: string) =>
  (await queryRows<{ enabled_features: string[]; updated_by: string }>(h.database.db, sql`SELECT enabled_features, updated_by FROM bot_guild_settings WHERE bot_id = ${botId} AND guild_id = ${guildId}`))[0];

/** As if the list had been read `hours` ago. */
const ageManagedGuilds = (userId: string, hours: number) =>
  queryRows(h.database.db, sql`UPDATE discord_managed_guilds SET fetched_at = now() - make_interval(hours => ${hours}) WHERE user_id = ${userId}`);

beforeAll(async () => {
  h = await createBotsHarness({
    withAccounts: true,
    standin: { gateway: { heartbeatIntervalMs: 400 } },
    gateway: { leaseMs: 900, helloTimeoutMs: 3_000, readyTimeoutMs: 3_000, identifySpacingMs: 0, backoff: { baseMs: 50, maxMs: 400 } },
  });
  world = seedBotWorld(h.discord.state);
  SETTINGS.channels = { welcome: world.general.id, logs: world.modLog.id };
  SETTINGS.staffRoleIds = [world.roles.moderator.id];
  const carol = h.discord.state.addUser({ username: 'carol', email: 'carol@example.com' });
  carolId = carol.id;
  carolGuildId = h.discord.state.addGuild({ name: 'Carol Corner', owner_id: carol.id }).id;
  h.discord.state.addMember(carolGuildId, world.bot.id);
  botId = await h.connectBot(world.application);
  expect((await h.app.inject({ method: 'POST', url: `/api/v1/workspaces/alpha/bots/${botId}/start`, headers: asUser(h.alice) })).statusCode).toBe(200);
  runtime = h.bots.createGatewayRuntime('guild-staff-worker');
  await runtime.start();
  // The gateway syncs both servers into bot_guilds, as in production.
  await waitFor(() => h.countRows('bot_guilds', `bot_id = '${botId}'`), (count) => count === 2);
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  await h?.close();
});

describe('guild staff (server managers outside the workspace)', () => {
  it('a guild owner who is not in the workspace signs in with Discord, lists the server, reads and updates its settings, and the workspace sees the change', async () => {
    const owner = await signInWithDiscord(h.app, h.discord, world.owner.id);
    expect((await h.app.inject({ method: 'GET', url: `/api/v1/workspaces/alpha/bots/${botId}`, cookies: owner.cookies })).statusCode).toBe(404);

    const list = await staffCall(owner, 'GET', STAFF_URL);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items).toEqual([
      expect.objectContaining({ guildId: world.guild.id, name: 'Weft Test Server', isOwner: true, bots: [{ id: botId, name: 'Weft Bot' }], channels: expect.arrayContaining([expect.objectContaining({ id: world.general.id })]) }),
    ]);

    const before = await staffCall(owner, 'GET', settingsUrl(world.guild.id));
    expect(before.json()).toEqual({ guildId: world.guild.id, enabledFeatures: [], channels: {}, staffRoleIds: [], updatedAt: null });

    const put = await staffCall(owner, 'PUT', settingsUrl(world.guild.id), SETTINGS);
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject(SETTINGS);
    const seenByWorkspace = await h.app.inject({ method: 'GET', url: `/api/v1/workspaces/alpha/bots/${botId}/guilds/${world.guild.id}/settings`, headers: asUser(h.alice) });
    expect(seenByWorkspace.json()).toMatchObject(SETTINGS);
    expect((await settingsRow(world.guild.id))!.updated_by).toBe(owner.userId);

    const audit = await queryRows<{ actor_id: string; target_type: string; target_id: string; workspace_id: string; details: { via: string } }>(
      h.database.db,
      sql`SELECT actor_id, target_type, target_id, workspace_id, details FROM audit_log WHERE action = 'bots.guild-settings.updated' AND actor_id = ${owner.userId}`,
    );
    expect(audit).toEqual([expect.objectContaining({ target_type: 'bot', target_id: botId, workspace_id: h.alpha.id, details: expect.objectContaining({ via: 'guild-staff' }) })]);
  });

  it('refuses bad settings with 400 VALIDATION_FAILED and a write without the CSRF token, changing nothing', async () => {
    const owner = await signInWithDiscord(h.app, h.discord, world.owner.id);
    const saved = await settingsRow(world.guild.id);
    const bad = await staffCall(owner, 'PUT', settingsUrl(world.guild.id), { ...SETTINGS, channels: { welcome: 'not-a-channel' }, extra: true });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    const noCsrf = await h.app.inject({ method: 'PUT', url: settingsUrl(world.guild.id), cookies: owner.cookies, remoteAddress: owner.ip, payload: { ...SETTINGS, enabledFeatures: [] } });
    expect(noCsrf.statusCode).toBe(403);
    expect(await settingsRow(world.guild.id)).toEqual(saved);
  });

  it('a member without MANAGE_GUILD gets 403 BOT_GUILD_NOT_MANAGED and writes nothing', async () => {
    const member = await signInWithDiscord(h.app, h.discord, world.alice.id);
    expect((await staffCall(member, 'GET', STAFF_URL)).json().items).toEqual([]);
    const before = await settingsRow(world.guild.id);
    for (const [method, payload] of [['GET', undefined], ['PUT', { ...SETTINGS, enabledFeatures: ['hijacked'] }]] as const) {
      const res = await staffCall(member, method, settingsUrl(world.guild.id), payload);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('BOT_GUILD_NOT_MANAGED');
    }
    expect(await settingsRow(world.guild.id)).toEqual(before);
  });

  it('MANAGE_GUILD through a role makes a member staff, and losing it takes effect at the next Discord sign-in', async () => {
    const dave = h.discord.state.addUser({ username: 'dave', email: 'dave@example.com' });
    h.discord.state.addMember(world.guild.id, dave.id, P.ManageGuild);
    const manager = await signInWithDiscord(h.app, h.discord, dave.id);
    expect((await staffCall(manager, 'GET', STAFF_URL)).json().items).toEqual([expect.objectContaining({ guildId: world.guild.id, isOwner: false })]);
    expect((await staffCall(manager, 'GET', settingsUrl(world.guild.id))).statusCode).toBe(200);

    h.discord.state.guildStore.updateMember(world.guild.id, dave.id, { roles: [] });
    const demoted = await signInWithDiscord(h.app, h.discord, dave.id);
    expect((await staffCall(demoted, 'GET', settingsUrl(world.guild.id))).json().error.code).toBe('BOT_GUILD_NOT_MANAGED');
  });

  it("a user who manages another server cannot read or change this server's settings; an unknown bot in their own server is 404", async () => {
    const carol = await signInWithDiscord(h.app, h.discord, carolId);
    expect((await staffCall(carol, 'GET', STAFF_URL)).json().items.map((item: { guildId: string }) => item.guildId)).toEqual([carolGuildId]);
    expect((await staffCall(carol, 'GET', settingsUrl(carolGuildId))).statusCode).toBe(200);
    const before = await settingsRow(world.guild.id);
    for (const [method, payload] of [['GET', undefined], ['PUT', SETTINGS]] as const) {
      const res = await staffCall(carol, method, settingsUrl(world.guild.id), payload);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('BOT_GUILD_NOT_MANAGED');
    }
    expect(await settingsRow(world.guild.id)).toEqual(before);
    const unknownBot = await staffCall(carol, 'GET', settingsUrl(carolGuildId, '0190f0f0-0000-7000-8000-000000000000'));
    expect(unknownBot.statusCode).toBe(404);
    expect(unknownBot.json().error.code).toBe('BOT_NOT_FOUND');
  });

  it('a server list older than 24 hours gives 403 BOT_GUILD_STAFF_SIGN_IN_REQUIRED until the next Discord sign-in', async () => {
    const owner = await signInWithDiscord(h.app, h.discord, world.owner.id);
    await ageManagedGuilds(owner.userId, 25);
    const before = await settingsRow(world.guild.id);
    for (const [method, url, payload] of [['GET', STAFF_URL, undefined], ['GET', settingsUrl(world.guild.id), undefined], ['PUT', settingsUrl(world.guild.id), { ...SETTINGS, enabledFeatures: [] }]] as const) {
      const res = await staffCall(owner, method, url, payload);
      expect(res.statusCode).toBe(403);
      expect(res.json().error).toMatchObject({ code: 'BOT_GUILD_STAFF_SIGN_IN_REQUIRED', details: { maxAgeHours: 24 } });
    }
    expect(await settingsRow(world.guild.id)).toEqual(before);
    const again = await signInWithDiscord(h.app, h.discord, world.owner.id);
    expect((await staffCall(again, 'GET', settingsUrl(world.guild.id))).statusCode).toBe(200);
  });

  it('a workspace member who never signed in with Discord is not guild staff', async () => {
    const res = await h.app.inject({ method: 'GET', url: settingsUrl(world.guild.id), headers: asUser(h.alice) });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('BOT_GUILD_STAFF_SIGN_IN_REQUIRED');
  });

  it('export includes the managed servers; erasure and the 30-day retention delete them', async () => {
    const accounts = h.accounts!;
    const owner = await signInWithDiscord(h.app, h.discord, world.owner.id);
    const exported = (await accounts.dataRights.exportSubject({ userId: owner.userId })) as { discord_managed_guilds: { discordUserId: string; guilds: unknown[] }[] };
    expect(exported.discord_managed_guilds).toEqual([expect.objectContaining({ discordUserId: world.owner.id, guilds: [{ id: world.guild.id, isOwner: true }] })]);
    await accounts.dataRights.eraseSubject({ userId: owner.userId });
    expect(await h.countRows('discord_managed_guilds', `user_id = '${owner.userId}'`)).toBe(0);

    const carol = await signInWithDiscord(h.app, h.discord, carolId);
    await ageManagedGuilds(carol.userId, 31 * 24);
    const purge = accounts.jobs.find((job) => job.name === 'accounts.purge-expired')!;
    await purge.run({ signal: new AbortController().signal, logger: createLogger({ level: 'silent', format: 'json' }) });
    expect(await h.countRows('discord_managed_guilds', `user_id = '${carol.userId}'`)).toBe(0);
  });
});
