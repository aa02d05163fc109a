import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GatewayCloseCodes, GatewayIntentBits as Intent, GatewayOpcodes } from 'discord-api-types/v10';
import { startDiscordStandin, type DiscordStandin } from '../discord-standin';
import { seedBotWorld, type BotWorld } from '../seed-bot-world';
import { GatewayTestClient } from './gateway-test-client';
import { fetchApi } from '../api-test-types';

let standin: DiscordStandin;
let world: BotWorld;
let token: string;
const clients: GatewayTestClient[] = [];

beforeEach(async () => {
  standin = await startDiscordStandin({ gateway: { heartbeatIntervalMs: 200, heartbeatGraceMs: 100 } });
  world = seedBotWorld(standin.state);
  token = world.application.bot!.token;
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await standin.close();
});

async function connect(query?: string, isHeartbeating = true): Promise<GatewayTestClient> {
  const client = await GatewayTestClient.connect(standin.gatewayUrl, query, isHeartbeating);
  clients.push(client);
  await client.next((frame) => frame.op === GatewayOpcodes.Hello);
  return client;
}

async function ready(intents: number): Promise<GatewayTestClient> {
  const client = await connect();
  client.identify(token, intents);
  await client.dispatch('READY');
  return client;
}

describe('handshake', () => {
  it('sends HELLO, then READY (s=1) and GUILD_CREATE with channels, roles and the bot as member', async () => {
    const client = await connect();
    expect(client.frames[0]).toEqual({ op: 10, d: { heartbeat_interval: 200 }, s: null, t: null });
    client.identify(token, Intent.Guilds);
    const readyFrame = await client.dispatch('READY');
    expect(readyFrame.s).toBe(1);
    expect(readyFrame.d).toMatchObject({
      v: 10,
      user: { id: world.bot.id, bot: true },
      guilds: [{ id: world.guild.id, unavailable: true }],
      resume_gateway_url: standin.gatewayUrl,
      application: { id: world.application.id },
    });
    type Named = { name: string };
    const guildCreate = (await client.dispatch('GUILD_CREATE')).d as {
      id: string; unavailable: boolean; member_count: number; channels: Named[]; roles: Named[]; members: Array<{ user: { id: string } }>;
    };
    expect(guildCreate.id).toBe(world.guild.id);
    expect(guildCreate.unavailable).toBe(false);
    expect(guildCreate.channels.map((c) => c.name)).toEqual(['general', 'mod-log']);
    expect(guildCreate.roles.map((r) => r.name)).toEqual(['@everyone', 'Member', 'Moderator', 'Weft Bot']);
    // Without GUILD_PRESENCES only the bot itself is listed (Events › Guild Create).
    expect(guildCreate.members.map((m) => m.user.id)).toEqual([world.bot.id]);
    expect(guildCreate.member_count).toBe(4);
    expect(standin.gateway.countIdentifies(world.application.id)).toBe(1);
    expect(standin.gateway.countConnectedSessions(world.application.id)).toBe(1);
  });

  it('acknowledges heartbeats with op 11', async () => {
    const client = await connect();
    client.send(GatewayOpcodes.Heartbeat, null);
    await client.next((frame) => frame.op === GatewayOpcodes.HeartbeatAck);
  });

  it('times out a session that stops heartbeating with 4009', async () => {
    const client = await connect(undefined, false);
    client.identify(token, Intent.Guilds);
    await client.dispatch('READY');
    expect((await client.closed).code).toBe(GatewayCloseCodes.SessionTimedOut);
    expect(standin.gateway.listSessions(world.application.id)[0]).toMatchObject({ isConnected: false, isResumable: false });
  });

  it('counts IDENTIFYs in the session start limit of GET /gateway/bot', async () => {
    const before = await (await fetchApi(`${standin.apiUrl}/gateway/bot`, { headers: { Authorization: `Bot ${token}` } })).json();
    expect(before).toMatchObject({ url: standin.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 1000, max_concurrency: 1 } });
    await ready(Intent.Guilds);
    const after = await (await fetchApi(`${standin.apiUrl}/gateway/bot`, { headers: { Authorization: `Bot ${token}` } })).json();
    expect(after.session_start_limit.remaining).toBe(999);
  });
});

describe('close codes', () => {
  it('closes with 4004 for a bad token', async () => {
    const client = await connect();
    client.identify('not-a-token', Intent.Guilds);
    expect((await client.closed).code).toBe(GatewayCloseCodes.AuthenticationFailed);
    expect(standin.gateway.countIdentifies(world.application.id)).toBe(0);
  });

  it('closes with 4014 for a privileged intent the application has not enabled, and accepts it once enabled', async () => {
    const refused = await connect();
    refused.identify(token, Intent.Guilds | Intent.GuildMembers);
    expect((await refused.closed).code).toBe(GatewayCloseCodes.DisallowedIntents);
    standin.state.setPrivilegedIntents(world.application.id, Intent.GuildMembers);
    await ready(Intent.Guilds | Intent.GuildMembers);
  });

  it('closes with 4013 for unknown intent bits', async () => {
    const client = await connect();
    client.identify(token, 1 << 30);
    expect((await client.closed).code).toBe(GatewayCloseCodes.InvalidIntents);
  });

  it.each([
    ['4003 for a payload before IDENTIFY', (c: GatewayTestClient) => c.send(GatewayOpcodes.PresenceUpdate, {}), GatewayCloseCodes.NotAuthenticated],
    ['4001 for an unknown opcode', (c: GatewayTestClient) => c.send(42, {}), GatewayCloseCodes.UnknownOpcode],
    ['4002 for a payload that is not JSON', (c: GatewayTestClient) => c.socket.send('{nope'), GatewayCloseCodes.DecodeError],
    ['4010 for an invalid shard', (c: GatewayTestClient) => c.identify(token, Intent.Guilds, { shard: [2, 2] }), GatewayCloseCodes.InvalidShard],
  ])('closes with %s', async (_name, act, code) => {
    const client = await connect();
    act(client);
    expect((await client.closed).code).toBe(code);
  });

  it('closes with 4005 for a second IDENTIFY', async () => {
    const client = await ready(Intent.Guilds);
    client.identify(token, Intent.Guilds);
    expect((await client.closed).code).toBe(GatewayCloseCodes.AlreadyAuthenticated);
  });

  it('closes with 4012 for an unsupported gateway version', async () => {
    const client = await GatewayTestClient.connect(standin.gatewayUrl, '?v=6&encoding=json');
    clients.push(client);
    expect((await client.closed).code).toBe(GatewayCloseCodes.InvalidAPIVersion);
  });

  it('applies injected gateway faults: a dropped upgrade, then a close code on IDENTIFY', async () => {
    standin.state.faults.enqueue({ route: 'GATEWAY', kind: 'drop-connection' }, { route: 'GATEWAY', kind: 'close', on: 'identify', code: 4000 });
    await expect(GatewayTestClient.connect(standin.gatewayUrl)).rejects.toThrow();
    const client = await connect();
    client.identify(token, Intent.Guilds);
    expect((await client.closed).code).toBe(4000);
    await ready(Intent.Guilds);
  });
});

describe('intents and message content', () => {
  it('sends message content only with MESSAGE_CONTENT, or when the bot is mentioned', async () => {
    const blind = await ready(Intent.Guilds | Intent.GuildMessages);
    standin.state.setPrivilegedIntents(world.application.id, Intent.MessageContent);
    const seeing = await ready(Intent.Guilds | Intent.GuildMessages | Intent.MessageContent);
    standin.simulate.messageCreate(world.general.id, { authorId: world.alice.id, content: 'secret plans', embeds: [{ title: 'x' }] });
    expect((await blind.dispatch('MESSAGE_CREATE')).d).toMatchObject({ content: '', embeds: [], guild_id: world.guild.id, author: { id: world.alice.id } });
    expect((await seeing.dispatch('MESSAGE_CREATE')).d).toMatchObject({ content: 'secret plans', embeds: [{ title: 'x' }] });
    standin.simulate.messageCreate(world.general.id, { authorId: world.alice.id, content: `hey <@${world.bot.id}>` });
    const mention = await blind.next((f) => f.t === 'MESSAGE_CREATE' && (f.d as { content: string }).content !== '');
    expect((mention.d as { content: string }).content).toBe(`hey <@${world.bot.id}>`);
  });

  it('withholds events whose intent the session did not ask for', async () => {
    standin.state.setPrivilegedIntents(world.application.id, Intent.GuildMembers);
    const withMembers = await ready(Intent.Guilds | Intent.GuildMembers);
    const without = await ready(Intent.Guilds);
    const carol = standin.simulate.memberJoin(world.guild.id, { username: 'carol' });
    expect((await withMembers.dispatch('GUILD_MEMBER_ADD')).d).toMatchObject({ guild_id: world.guild.id, user: { id: carol.user_id } });
    standin.simulate.roleCreate(world.guild.id, { name: 'Artists' });
    await without.dispatch('GUILD_ROLE_CREATE');
    expect(without.dispatches('GUILD_MEMBER_ADD')).toHaveLength(0);
  });

  it('delivers test dispatches only to the named application, with per-session sequence numbers', async () => {
    const other = standin.state.addApplication({ bot: true });
    const client = await ready(Intent.Guilds);
    standin.gateway.dispatch(world.application.id, 'TYPING_START', { channel_id: world.general.id, user_id: world.alice.id, timestamp: 1 });
    standin.gateway.dispatch(world.application.id, 'USER_UPDATE', { id: world.bot.id });
    standin.gateway.dispatch(other.id, 'USER_UPDATE', { id: other.bot!.user.id });
    const update = await client.dispatch('USER_UPDATE');
    // TYPING_START in a DM needs DIRECT_MESSAGE_TYPING: withheld, and it takes no sequence number.
    expect(client.dispatches('TYPING_START')).toHaveLength(0);
    expect(update.s).toBe(3); // READY 1, GUILD_CREATE 2
    expect(client.dispatches('USER_UPDATE')).toHaveLength(1);
  });
});
