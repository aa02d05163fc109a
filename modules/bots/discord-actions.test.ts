import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '@weft/db';
import { seedBotWorld, type BotWorld } from '@weft/testing';
import { sql } from 'drizzle-orm';
import { asUser, buildChain, buildNode, createBotsHarness, type BotsHarness } from './test-fixtures/bots-harness';

let h: BotsHarness;
let world: BotWorld;
let botId: string;

beforeAll(async () => {
  h = await createBotsHarness();
  world = seedBotWorld(h.discord.state);
  botId = await h.connectBot(world.application);
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const sendNode = (params: Record<string, unknown>) => buildNode('send', 'discord.message.send', params);

describe('Discord action nodes', () => {
  it('a send-message node posts to the stand-in channel as the bot, once', async () => {
    const workflowId = await h.publishWorkflow(buildChain(buildNode('start', 'trigger.manual'), sendNode({ botId, channelId: world.general.id, content: 'Hello from {{ $trigger.name }}', embeds: [{ title: 'Hi' }] })));
    const result = await h.runs.runWorkflowNow({ workspaceId: h.alpha.id, workflowId, triggerKind: 'discord', input: { name: 'Weft' } });
    expect(result.status, JSON.stringify(result.error)).toBe('succeeded');
    const posted = h.discord.state.messages.list(world.general.id).filter((message) => message.content === 'Hello from Weft');
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ author_id: world.bot.id, embeds: [{ title: 'Hi' }] });
  });

  it('gives a member a role and times them out through the moderation nodes', async () => {
    const workflowId = await h.publishWorkflow(
      buildChain(
        buildNode('start', 'trigger.manual'),
        buildNode('role', 'discord.member.add-role', { botId, guildId: world.guild.id, userId: world.alice.id, roleId: world.roles.moderator.id, reason: 'promoted' }),
        buildNode('mute', 'discord.member.timeout', { botId, guildId: world.guild.id, userId: world.alice.id, durationSeconds: 60 }),
      ),
    );
    const result = await h.runs.runWorkflowNow({ workspaceId: h.alpha.id, workflowId, triggerKind: 'discord', input: {} });
    expect(result.status, JSON.stringify(result.error)).toBe('succeeded');
    const member = h.discord.state.guildStore.findMember(world.guild.id, world.alice.id);
    expect(member?.roles).toContain(world.roles.moderator.id);
    expect(member?.communication_disabled_until).not.toBeNull();
  });

  it("a workspace cannot act through another workspace's bot", async () => {
    const before = h.discord.state.messages.list(world.general.id).length;
    await expect(h.bots.api.discordActionsFor(h.beta.id).request({ botId, method: 'POST', route: `/channels/${world.general.id}/messages`, body: { content: 'x' } })).rejects.toMatchObject({ code: 'BOT_NOT_FOUND' });
    const workflowId = await h.publishWorkflow(buildChain(buildNode('start', 'trigger.manual'), sendNode({ botId, channelId: world.general.id, content: 'from beta' })), h.beta);
    const result = await h.runs.runWorkflowNow({ workspaceId: h.beta.id, workflowId, triggerKind: 'discord', input: {} });
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('BOT_NOT_FOUND');
    await expect(h.bots.api.botDataFor(h.beta.id).get({ botId, scope: 'global', key: 'points' })).rejects.toMatchObject({ code: 'BOT_NOT_FOUND' });
    expect(h.discord.state.messages.list(world.general.id)).toHaveLength(before);
  });

  it('refuses routes flows may not call (the application itself) and webhooks of other applications', async () => {
    const actions = h.bots.api.discordActionsFor(h.alpha.id);
    await expect(actions.request({ botId, method: 'PUT', route: `/applications/${world.application.id}/commands`, body: [] })).rejects.toMatchObject({ code: 'BOT_DISCORD_ROUTE_FORBIDDEN' });
    await expect(actions.request({ botId, method: 'POST', route: '/webhooks/123456789012345678/token', body: {}, useBotToken: false })).rejects.toMatchObject({ code: 'BOT_DISCORD_ROUTE_FORBIDDEN' });
  });

  it('bot variable nodes count atomically in the bot data of the run’s workspace', async () => {
    const workflowId = await h.publishWorkflow(buildChain(buildNode('start', 'trigger.manual'), buildNode('count', 'discord.variable.increment', { botId, scope: 'user', scopeId: world.alice.id, key: 'messages', by: 2 })));
    for (let i = 0; i < 2; i += 1) expect((await h.runs.runWorkflowNow({ workspaceId: h.alpha.id, workflowId, triggerKind: 'discord', input: {} })).status).toBe('succeeded');
    expect(await h.bots.api.botDataFor(h.alpha.id).get({ botId, scope: 'user', scopeId: world.alice.id, key: 'messages' })).toBe(4);
  });

  it('a REST 401 stops the bot and marks its token invalid', async () => {
    const other = seedBotWorld(h.discord.state);
    const otherBot = await h.connectBot(other.application);
    h.discord.state.revokeBotToken(other.application.id);
    await expect(h.bots.api.discordActionsFor(h.alpha.id).request({ botId: otherBot, method: 'POST', route: `/channels/${other.general.id}/messages`, body: { content: 'x' } })).rejects.toMatchObject({ code: 'BOT_TOKEN_INVALID' });
    const [row] = await queryRows<{ status: string; desired_state: string }>(h.database.db, sql`SELECT status, desired_state FROM bots WHERE id = ${otherBot}`);
    expect(row).toEqual({ status: 'token_invalid', desired_state: 'stopped' });
  });
});

describe('event flows API', () => {
  const url = () => `/api/v1/workspaces/alpha/bots/${botId}/event-flows`;

  it('creates, lists with the intents needed, updates and deletes a flow; bad input is refused and nothing written', async () => {
    const workflowId = await h.publishWorkflow({ nodes: [buildNode('t', 'trigger.discord-event', { event: 'message.create' })], edges: [] });
    const before = await h.countRows('bot_event_flows');
    for (const [payload, status, code] of [
      [{ event: 'member.explode', workflowId }, 400, 'VALIDATION_FAILED'],
      [{ event: 'message.create', workflowId: '0190a0a0-0000-7000-8000-000000000000' }, 400, 'BOT_WORKFLOW_NOT_FOUND'],
    ] as const) {
      const res = await h.app.inject({ method: 'POST', url: url(), headers: asUser(h.alice), payload });
      expect(res.statusCode).toBe(status);
      expect(res.json().error.code).toBe(code);
    }
    expect((await h.app.inject({ method: 'POST', url: url(), headers: asUser(h.viewer), payload: { event: 'message.create', workflowId } })).statusCode).toBe(403);
    expect(await h.countRows('bot_event_flows')).toBe(before);

    const created = await h.app.inject({ method: 'POST', url: url(), headers: asUser(h.alice), payload: { event: 'message.create', workflowId } });
    expect(created.statusCode).toBe(201);
    expect((await h.app.inject({ method: 'POST', url: url(), headers: asUser(h.alice), payload: { event: 'message.create', workflowId } })).json().error.code).toBe('BOT_EVENT_FLOW_TAKEN');
    const list = await h.app.inject({ method: 'GET', url: url(), headers: asUser(h.alice) });
    expect(list.json().intents.privileged).toEqual(['MESSAGE_CONTENT']);
    const flowId = created.json().id as string;
    const disabled = await h.app.inject({ method: 'PATCH', url: `${url()}/${flowId}`, headers: asUser(h.alice), payload: { isEnabled: false } });
    expect(disabled.json().isEnabled).toBe(false);
    expect((await h.app.inject({ method: 'GET', url: url(), headers: asUser(h.alice) })).json().intents.privileged).toEqual([]);
    expect((await h.app.inject({ method: 'DELETE', url: `${url()}/${flowId}`, headers: asUser(h.alice) })).statusCode).toBe(200);
    expect(await h.countRows('audit_log', `action LIKE 'bots.event-flow.%'`)).toBe(3);
  });

  it("workspace B cannot read or change workspace A's event flows, nor use its own workflow on A's bot", async () => {
    const betaWorkflow = await h.publishWorkflow({ nodes: [buildNode('t', 'trigger.discord-event', { event: 'member.join' })], edges: [] }, h.beta);
    expect((await h.app.inject({ method: 'GET', url: url(), headers: asUser(h.bob) })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url: `/api/v1/workspaces/beta/bots/${botId}/event-flows`, headers: asUser(h.bob) })).statusCode).toBe(404);
    const res = await h.app.inject({ method: 'POST', url: url(), headers: asUser(h.alice), payload: { event: 'member.join', workflowId: betaWorkflow } });
    expect(res.json().error.code).toBe('BOT_WORKFLOW_NOT_FOUND');
  });
});
