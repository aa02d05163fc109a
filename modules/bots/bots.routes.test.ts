import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '@weft/db';
import { sql } from 'drizzle-orm';
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import * as contract from '@weft/contracts';
import { DISCORD_EVENT_TYPES } from '@weft/engine';
import { asUser, buildChain, buildNode, createBotsHarness, type BotsHarness } from './test-fixtures/bots-harness';

let h: BotsHarness;
const replies: string[] = [];

async function call(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, user: string, payload?: unknown) {
  const res = await h.app.inject({ method, url, headers: asUser(user), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  replies.push(res.body);
  return res;
}

beforeAll(async () => {
  h = await createBotsHarness();
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('bots API', () => {
  it('connects a bot: token checked with GET /users/@me, stored encrypted, never returned', async () => {
    const application = h.addApplication();
    const res = await call('POST', '/api/v1/workspaces/alpha/bots', h.alice, { applicationId: application.id, publicKey: application.public_key, token: application.bot!.token, features: ['moderation'] });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ applicationId: application.id, botUser: { id: application.bot!.user.id, name: 'Weft Bot' }, status: 'stopped', features: ['moderation'] });
    expect(res.json().interactionsUrl).toBe(`http://127.0.0.1:3000/discord/interactions/${res.json().id}`);
    expect(h.discord.state.requests.some((r) => r.path === '/api/v10/users/@me' && r.headers.authorization === 'Bot [redacted]'), JSON.stringify(h.discord.state.requests.map((r) => [r.path, r.headers.authorization]))).toBe(true);
    const stored = await queryRows<Record<string, unknown>>(h.database.db, sql`SELECT b.*, c.ciphertext, c.public_fields FROM bots b JOIN credentials c ON c.id = b.credential_id`);
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(application.bot!.token);
    expect(await h.countRows('audit_log', `action = 'bots.bot.created'`)).toBe(1);
  });

  it('a token Discord refuses (401) gives 400 BOT_TOKEN_INVALID and stores nothing', async () => {
    const application = h.addApplication();
    const before = { bots: await h.countRows('bots'), credentials: await h.countRows('credentials') };
    const res = await call('POST', '/api/v1/workspaces/alpha/bots', h.alice, { applicationId: application.id, publicKey: application.public_key, token: 'MTAx.bm90.dGhlLXRva2Vu-wrong-token' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('BOT_TOKEN_INVALID');
    expect({ bots: await h.countRows('bots'), credentials: await h.countRows('credentials') }).toEqual(before);
  });

  it('rejects bad input with 400 VALIDATION_FAILED and a viewer with 403', async () => {
    const application = h.addApplication();
    const bad = await call('POST', '/api/v1/workspaces/alpha/bots', h.alice, { applicationId: 'abc', publicKey: 'xyz', token: 'nope' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    const viewer = await call('POST', '/api/v1/workspaces/alpha/bots', h.viewer, { applicationId: application.id, publicKey: application.public_key, token: application.bot!.token });
    expect(viewer.statusCode).toBe(403);
  });

  it('workspace B cannot see, start or delete a bot of workspace A, and A cannot see B', async () => {
    const botId = await h.connectBot(h.addApplication());
    const betaBot = await h.connectBot(h.addApplication(), h.beta, h.bob);
    for (const [method, suffix] of [['GET', ''], ['POST', '/start'], ['DELETE', ''], ['GET', '/commands'], ['GET', '/invite-url']] as const) {
      expect((await call(method, `/api/v1/workspaces/beta/bots/${botId}${suffix}`, h.bob)).statusCode, `${method} ${suffix}`).toBe(404);
      expect((await call(method, `/api/v1/workspaces/alpha/bots/${botId}${suffix}`, h.bob)).statusCode).toBe(404);
    }
    expect((await call('GET', `/api/v1/workspaces/alpha/bots/${betaBot}`, h.alice)).statusCode).toBe(404);
    const list = await call('GET', '/api/v1/workspaces/beta/bots', h.bob);
    expect(list.json().items.map((b: { id: string }) => b.id)).toEqual([betaBot]);
    expect((await call('GET', `/api/v1/workspaces/alpha/bots/${botId}`, h.alice)).json().desiredState).toBe('stopped');
  });

  it('start checks the token again: a revoked token leaves the bot stopped with status token_invalid', async () => {
    const application = h.addApplication();
    const botId = await h.connectBot(application);
    const started = await call('POST', `/api/v1/workspaces/alpha/bots/${botId}/start`, h.alice);
    expect(started.json()).toMatchObject({ desiredState: 'running', status: 'connecting' });
    h.discord.state.revokeBotToken(application.id);
    await call('POST', `/api/v1/workspaces/alpha/bots/${botId}/stop`, h.alice);
    const restarted = await call('POST', `/api/v1/workspaces/alpha/bots/${botId}/start`, h.alice);
    expect(restarted.json()).toMatchObject({ desiredState: 'stopped', status: 'token_invalid' });
    const fresh = h.discord.state.resetBotToken(application.id);
    const updated = await call('PATCH', `/api/v1/workspaces/alpha/bots/${botId}`, h.alice, { token: fresh });
    expect(updated.json()).toMatchObject({ status: 'stopped', statusDetail: null });
    const events = await call('GET', `/api/v1/workspaces/alpha/bots/${botId}/events?limit=2`, h.alice);
    expect(events.json().items).toHaveLength(2);
    const older = await call('GET', `/api/v1/workspaces/alpha/bots/${botId}/events?limit=2&cursor=${events.json().nextCursor}`, h.alice);
    expect(older.json().items[0].id < events.json().items[1].id).toBe(true);
  });

  it('registering the same command set twice makes exactly one bulk PUT per scope', async () => {
    const application = h.addApplication();
    const botId = await h.connectBot(application);
    const workflowId = await h.publishWorkflow(buildChain(buildNode('command', 'trigger.discord-command'), buildNode('reply', 'respond', { body: 'hi' })));
    const owner = h.discord.state.addUser({ username: 'guild-owner' });
    const guildScope = h.discord.state.addGuild({ name: 'Den', owner_id: owner.id }).id;
    h.discord.state.addMember(guildScope, application.bot!.user.id);
    for (const command of [
      { kind: 'slash', name: 'hello', description: 'Say hello', options: [{ type: 3, name: 'who', description: 'Who', choices: [{ name: 'World', value: 'world' }] }], workflowId },
      { kind: 'user', name: 'Greet user', workflowId },
      { kind: 'slash', name: 'local', description: 'Guild only', workflowId, scope: guildScope, requiredPermissions: '8' },
      { kind: 'component', name: 'btn:', workflowId },
    ]) {
      expect((await call('POST', `/api/v1/workspaces/alpha/bots/${botId}/commands`, h.alice, command)).statusCode).toBe(201);
    }
    const sync = () => call('POST', `/api/v1/workspaces/alpha/bots/${botId}/commands/sync`, h.alice);
    const first = await sync();
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().scopes).toEqual(
      expect.arrayContaining([
        { scope: guildScope, commandCount: 1, isSent: true },
        { scope: 'global', commandCount: 2, isSent: true },
      ]),
    );
    expect((await sync()).json().scopes.every((s: { isSent: boolean }) => !s.isSent)).toBe(true);
    expect(h.discord.state.commands.countOverwrites({ applicationId: application.id })).toBe(1);
    expect(h.discord.state.commands.countOverwrites({ applicationId: application.id, guildId: guildScope })).toBe(1);
    expect(h.discord.state.commands.list({ applicationId: application.id }).map((c) => c.name).sort()).toEqual(['Greet user', 'hello']);
    // A change to one scope sends that scope only.
    const commands = (await call('GET', `/api/v1/workspaces/alpha/bots/${botId}/commands`, h.alice)).json().items as { id: string; name: string }[];
    const local = commands.find((c) => c.name === 'local')!;
    expect((await call('DELETE', `/api/v1/workspaces/alpha/bots/${botId}/commands/${local.id}`, h.alice)).statusCode).toBe(200);
    expect((await sync()).json().scopes).toContainEqual({ scope: guildScope, commandCount: 0, isSent: true });
    expect(h.discord.state.commands.countOverwrites({ applicationId: application.id })).toBe(1);
    expect(h.discord.state.commands.countOverwrites({ applicationId: application.id, guildId: guildScope })).toBe(2);
  });

  it('a 401 while registering commands stops the bot and marks its token invalid', async () => {
    const application = h.addApplication();
    const botId = await h.connectBot(application);
    const workflowId = await h.publishWorkflow(buildChain(buildNode('command', 'trigger.discord-command'), buildNode('reply', 'respond', { body: 'hi' })));
    await call('POST', `/api/v1/workspaces/alpha/bots/${botId}/commands`, h.alice, { kind: 'slash', name: 'ping', description: 'Ping', workflowId });
    expect((await call('POST', `/api/v1/workspaces/alpha/bots/${botId}/start`, h.alice)).json().desiredState).toBe('running');
    h.discord.state.revokeBotToken(application.id);
    const sync = await call('POST', `/api/v1/workspaces/alpha/bots/${botId}/commands/sync`, h.alice);
    expect(sync.json().error.code).toBe('BOT_TOKEN_INVALID');
    expect((await call('GET', `/api/v1/workspaces/alpha/bots/${botId}`, h.alice)).json()).toMatchObject({ status: 'token_invalid', desiredState: 'stopped' });
  });

  it("applies Discord's naming rules to commands", async () => {
    const botId = await h.connectBot(h.addApplication());
    const workflowId = await h.publishWorkflow(buildChain(buildNode('command', 'trigger.discord-command')));
    const invalid = [
      { kind: 'slash', name: 'Hello', description: 'uppercase', workflowId },
      { kind: 'slash', name: 'with space', description: 'space', workflowId },
      { kind: 'slash', name: 'x'.repeat(33), description: 'too long', workflowId },
      { kind: 'slash', name: 'nodesc', description: '', workflowId },
      { kind: 'slash', name: 'many', description: 'options', workflowId, options: Array.from({ length: 26 }, (_, i) => ({ type: 3, name: `o${i}`, description: 'o' })) },
      { kind: 'slash', name: 'mixed', description: 'bad', workflowId, options: [{ type: 3, name: 'a', description: 'a', autocomplete: true, choices: [{ name: 'x', value: 'x' }] }] },
    ];
    for (const body of invalid) expect((await call('POST', `/api/v1/workspaces/alpha/bots/${botId}/commands`, h.alice, body)).statusCode, body.name).toBe(400);
    expect((await call('POST', `/api/v1/workspaces/alpha/bots/${botId}/commands`, h.alice, { kind: 'slash', name: 'café_ок', description: 'unicode ok', workflowId })).statusCode).toBe(201);
    const dup = await call('POST', `/api/v1/workspaces/alpha/bots/${botId}/commands`, h.alice, { kind: 'slash', name: 'café_ок', description: 'again', workflowId });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('BOT_COMMAND_NAME_TAKEN');
  });

  it('builds the invite URL from the features and the commands', async () => {
    const botId = await h.connectBot(h.addApplication());
    const workflowId = await h.publishWorkflow(buildChain(buildNode('command', 'trigger.discord-command')));
    await call('PATCH', `/api/v1/workspaces/alpha/bots/${botId}`, h.alice, { features: ['roles'] });
    await call('POST', `/api/v1/workspaces/alpha/bots/${botId}/commands`, h.alice, { kind: 'slash', name: 'ban', description: 'Ban', workflowId, botPermissions: String(1n << 2n) });
    const res = await call('GET', `/api/v1/workspaces/alpha/bots/${botId}/invite-url`, h.alice);
    const url = new URL(res.json().url);
    const permissions = BigInt(url.searchParams.get('permissions')!);
    expect(url.searchParams.get('scope')).toBe('bot applications.commands');
    expect(permissions & (1n << 28n)).toBe(1n << 28n); // MANAGE_ROLES from the feature
    expect(permissions & (1n << 2n)).toBe(1n << 2n); // BAN_MEMBERS from the command
    expect(permissions & (1n << 11n)).toBe(1n << 11n); // SEND_MESSAGES always
  });

  it('keeps guild settings per guild and audits their change', async () => {
    const botId = await h.connectBot(h.addApplication());
    const url = `/api/v1/workspaces/alpha/bots/${botId}/guilds/123456789012345678/settings`;
    expect((await call('GET', url, h.alice)).json()).toMatchObject({ enabledFeatures: [], channels: {}, staffRoleIds: [], updatedAt: null });
    const saved = await call('PUT', url, h.alice, { enabledFeatures: ['welcome'], channels: { welcome: '223456789012345678' }, staffRoleIds: ['323456789012345678'] });
    expect(saved.json()).toMatchObject({ enabledFeatures: ['welcome'], channels: { welcome: '223456789012345678' } });
    expect((await call('PUT', url, h.viewer, { enabledFeatures: [], channels: {}, staffRoleIds: [] })).statusCode).toBe(403);
    expect(await h.countRows('audit_log', `action = 'bots.guild-settings.updated'`)).toBe(1);
  });

  it('deleting a bot removes its token credential too; no reply ever carried a token', async () => {
    const application = h.addApplication();
    const botId = await h.connectBot(application);
    const credentials = await h.countRows('credentials');
    expect((await call('DELETE', `/api/v1/workspaces/alpha/bots/${botId}`, h.alice)).json()).toEqual({ deleted: true, id: botId });
    expect(await h.countRows('credentials')).toBe(credentials - 1);
    expect(await h.countRows('bots', `id = '${botId}'`)).toBe(0);
    expect(replies.length).toBeGreaterThan(30);
    // Every reply of this file, bot creations included: nothing shaped like a bot token (id.timestamp.hmac).
    for (const body of replies) expect(body).not.toMatch(/[\w-]{20,}\.[\w-]{5,}\.[\w-]{20,}/);
  });
});

describe('the bots contract (packages/contracts)', () => {
  // The tables import their lists from the contract; the engine's and Discord's own lists are checked here.
  it('lists the values the engine and Discord use', () => {
    expect(contract.DISCORD_EVENT_TYPES).toEqual(DISCORD_EVENT_TYPES);
    for (const [name, value] of Object.entries(contract.COMMAND_OPTION_TYPES)) {
      expect(ApplicationCommandOptionType[name as keyof typeof ApplicationCommandOptionType], name).toBe(value);
    }
  });
});
