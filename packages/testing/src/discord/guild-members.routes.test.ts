import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GatewayIntentBits as Intent } from 'discord-api-types/v10';
import { startDiscordStandin, type DiscordStandin } from './discord-standin';
import { GatewayTestClient } from './gateway/gateway-test-client';
import { seedBotWorld, type BotWorld } from './seed-bot-world';
import { fetchApi, type ApiResponse } from './api-test-types';

let standin: DiscordStandin;
let world: BotWorld;
let gateway: GatewayTestClient;

beforeEach(async () => {
  standin = await startDiscordStandin();
  world = seedBotWorld(standin.state, { privilegedIntents: Intent.GuildMembers });
  gateway = await GatewayTestClient.ready(standin.gatewayUrl, world.application.bot!.token, Intent.Guilds | Intent.GuildMembers | Intent.GuildModeration);
});
afterEach(async () => {
  gateway.close();
  await standin.close();
});

function call(method: string, path: string, body?: unknown): Promise<ApiResponse> {
  return fetchApi(`${standin.apiUrl}${path}`, {
    method,
    headers: { Authorization: `Bot ${world.application.bot!.token}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const member = (userId: string) => `/guilds/${world.guild.id}/members/${userId}`;

describe('roles', () => {
  it('adds and removes a role, announcing GUILD_MEMBER_UPDATE', async () => {
    expect((await call('PUT', `${member(world.alice.id)}/roles/${world.roles.moderator.id}`)).status).toBe(204);
    expect((await gateway.dispatch('GUILD_MEMBER_UPDATE')).d).toMatchObject({ guild_id: world.guild.id, user: { id: world.alice.id }, roles: [world.roles.member.id, world.roles.moderator.id] });
    expect((await call('DELETE', `${member(world.alice.id)}/roles/${world.roles.moderator.id}`)).status).toBe(204);
    expect(standin.state.guildStore.findMember(world.guild.id, world.alice.id)!.roles).toEqual([world.roles.member.id]);
  });

  it('refuses a role at or above the bot (50013) and unknown ids (10004, 10007, 10011)', async () => {
    const high = standin.simulate.roleCreate(world.guild.id, { name: 'Admins', position: 10 });
    expect((await (await call('PUT', `${member(world.alice.id)}/roles/${high.id}`)).json()).code).toBe(50013);
    expect(await (await call('PUT', `/guilds/1234567890123/members/${world.alice.id}/roles/${high.id}`)).json()).toEqual({ message: 'Unknown Guild', code: 10004 });
    expect(await (await call('PUT', `${member('1234567890123')}/roles/${high.id}`)).json()).toEqual({ message: 'Unknown Member', code: 10007 });
    expect(await (await call('PUT', `${member(world.alice.id)}/roles/1234567890123`)).json()).toEqual({ message: 'Unknown Role', code: 10011 });
  });

  it('creates a role, announcing GUILD_ROLE_CREATE', async () => {
    const role = await (await call('POST', `/guilds/${world.guild.id}/roles`, { name: 'Helpers', permissions: '0' })).json();
    expect(role).toMatchObject({ name: 'Helpers', position: 1 });
    expect((await gateway.dispatch('GUILD_ROLE_CREATE')).d).toMatchObject({ guild_id: world.guild.id, role: { id: role.id } });
    const roles = await (await call('GET', `/guilds/${world.guild.id}/roles`)).json();
    expect(roles.map((r: { name: string }) => r.name)).toContain('Helpers');
  });
});

describe('moderation', () => {
  it('kicks a member: 204, GUILD_MEMBER_REMOVE, and the member is gone', async () => {
    expect((await call('DELETE', member(world.alice.id))).status).toBe(204);
    expect((await gateway.dispatch('GUILD_MEMBER_REMOVE')).d).toMatchObject({ guild_id: world.guild.id, user: { id: world.alice.id } });
    expect((await call('GET', member(world.alice.id))).status).toBe(404);
  });

  it('cannot kick the owner', async () => {
    expect((await (await call('DELETE', member(world.owner.id))).json()).code).toBe(50013);
    expect(standin.state.guildStore.findMember(world.guild.id, world.owner.id)).toBeDefined();
  });

  it('bans: the member is removed and GUILD_BAN_ADD is announced', async () => {
    expect((await call('PUT', `/guilds/${world.guild.id}/bans/${world.bob.id}`, { delete_message_seconds: 3600 })).status).toBe(204);
    await gateway.dispatch('GUILD_BAN_ADD');
    expect(standin.state.guildStore.isBanned(world.guild.id, world.bob.id)).toBe(true);
    expect(standin.state.guildStore.findMember(world.guild.id, world.bob.id)).toBeUndefined();
  });

  it('times a member out for at most 28 days', async () => {
    const until = new Date(Date.now() + 60 * 60_000).toISOString();
    const timedOut = await (await call('PATCH', member(world.alice.id), { communication_disabled_until: until })).json();
    expect(timedOut.communication_disabled_until).toBe(until);
    expect((await gateway.dispatch('GUILD_MEMBER_UPDATE')).d).toMatchObject({ communication_disabled_until: until });
    const tooFar = await call('PATCH', member(world.alice.id), { communication_disabled_until: new Date(Date.now() + 29 * 86_400_000).toISOString() });
    expect((await tooFar.json()).code).toBe(50035);
    const cleared = await (await call('PATCH', member(world.alice.id), { communication_disabled_until: null })).json();
    expect(cleared.communication_disabled_until).toBeNull();
  });
});

describe('reading a guild', () => {
  it('returns the guild, its channels and a member', async () => {
    expect(await (await call('GET', `/guilds/${world.guild.id}`)).json()).toMatchObject({ id: world.guild.id, owner_id: world.owner.id });
    const channels = await (await call('GET', `/guilds/${world.guild.id}/channels`)).json();
    expect(channels.map((c: { id: string }) => c.id)).toEqual([world.general.id, world.modLog.id]);
    expect(await (await call('GET', member(world.alice.id))).json()).toMatchObject({ user: { id: world.alice.id }, roles: [world.roles.member.id] });
  });

  it('answers 403 Missing Access for a guild the bot is not in', async () => {
    const elsewhere = standin.state.addGuild({ name: 'Elsewhere', owner_id: world.alice.id });
    const reply = await call('GET', `/guilds/${elsewhere.id}`);
    expect(reply.status).toBe(403);
    expect((await reply.json()).code).toBe(50001);
  });

  it('announces a simulated guild join to the bot as GUILD_CREATE and a removal as GUILD_DELETE', async () => {
    const other = standin.state.addGuild({ name: 'New Home', owner_id: world.owner.id, channels: [{ name: 'lobby' }] });
    standin.simulate.guildJoin(world.application.id, other.id);
    const created = await gateway.next((f) => f.t === 'GUILD_CREATE' && (f.d as { id: string }).id === other.id);
    expect((created.d as { channels: Array<{ name: string }> }).channels.map((c) => c.name)).toEqual(['lobby']);
    standin.simulate.guildLeave(world.application.id, other.id);
    expect((await gateway.dispatch('GUILD_DELETE')).d).toEqual({ id: other.id });
  });
});
