import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GatewayIntentBits as Intent } from 'discord-api-types/v10';
import { queryRows } from '@weft/db';
import { seedBotWorld, type BotWorld } from '@weft/testing';
import { sql } from 'drizzle-orm';
import type { GatewayRuntime } from '@weft/bots';
import { asUser, buildNode, createBotsHarness, type BotsHarness } from './test-fixtures/bots-harness';

let h: BotsHarness;
const runtimes: GatewayRuntime[] = [];
const LEASE_MS = 900;

beforeAll(async () => {
  h = await createBotsHarness({
    standin: { gateway: { heartbeatIntervalMs: 400 } },
    gateway: { leaseMs: LEASE_MS, helloTimeoutMs: 3_000, readyTimeoutMs: 3_000, identifySpacingMs: 0, backoff: { baseMs: 50, maxMs: 400 } },
  });
}, 60_000);
afterEach(async () => {
  for (const runtime of runtimes.splice(0)) await runtime.stop();
});
afterAll(async () => {
  await h?.close();
});

async function waitFor<T>(read: () => Promise<T> | T, accept: (value: T) => boolean, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in time; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function startRuntime(workerId: string): Promise<GatewayRuntime> {
  const runtime = h.bots.createGatewayRuntime(workerId);
  runtimes.push(runtime);
  await runtime.start();
  return runtime;
}

/** A world, a bot connected to workspace alpha, a member.join event flow and the bot started. */
async function setUpBot(privilegedIntents = Intent.GuildMembers | Intent.MessageContent): Promise<{ world: BotWorld; botId: string; workflowId: string }> {
  const world = seedBotWorld(h.discord.state, { privilegedIntents });
  const botId = await h.connectBot(world.application);
  const workflowId = await h.publishWorkflow({ nodes: [buildNode('join', 'trigger.discord-event', { event: 'member.join' })], edges: [] });
  const flow = await h.app.inject({ method: 'POST', url: `/api/v1/workspaces/alpha/bots/${botId}/event-flows`, headers: asUser(h.alice), payload: { event: 'member.join', workflowId } });
  expect(flow.statusCode, flow.body).toBe(201);
  const start = await h.app.inject({ method: 'POST', url: `/api/v1/workspaces/alpha/bots/${botId}/start`, headers: asUser(h.alice) });
  expect(start.statusCode, start.body).toBe(200);
  return { world, botId, workflowId };
}

const botRow = async (botId: string) =>
  (await queryRows<{ status: string; status_detail: string | null; desired_state: string }>(h.database.db, sql`SELECT status, status_detail, desired_state FROM bots WHERE id = ${botId}`))[0]!;
const runInputs = async (workflowId: string) =>
  (await queryRows<{ input: { user: { id: string; username: string } } }>(h.database.db, sql`SELECT input FROM runs WHERE workflow_id = ${workflowId} ORDER BY created_at`)).map((row) => row.input);

describe('gateway runtime', () => {
  it('connects, identifies with the intents of its event flows, goes online, syncs its guild and starts the member-join flow', async () => {
    const { world, botId, workflowId } = await setUpBot();
    await startRuntime('worker-a');
    await waitFor(() => botRow(botId), (row) => row.status === 'online');
    expect(h.discord.gateway.listSessions(world.application.id).map((session) => session.intents)).toEqual([Intent.Guilds | Intent.GuildMembers]);
    expect(await h.countRows('bot_gateway_identifies', `bot_id = '${botId}' AND count = 1`)).toBe(1);
    await waitFor(() => h.countRows('bot_guilds', `bot_id = '${botId}' AND guild_id = '${world.guild.id}'`), (count) => count === 1);

    const newcomer = h.discord.simulate.memberJoin(world.guild.id, { username: 'carol' });
    const inputs = await waitFor(() => runInputs(workflowId), (rows) => rows.length === 1);
    expect(inputs[0]).toMatchObject({ event: 'member.join', botId, guildId: world.guild.id, user: { id: newcomer.user_id, username: 'carol' } });
    const guilds = await h.app.inject({ method: 'GET', url: `/api/v1/workspaces/alpha/bots/${botId}/guilds`, headers: asUser(h.alice) });
    expect(guilds.json().items[0]).toMatchObject({ guildId: world.guild.id, ownerId: world.owner.id, channels: expect.arrayContaining([expect.objectContaining({ id: world.general.id })]) });
    expect((await h.app.inject({ method: 'GET', url: `/api/v1/workspaces/beta/bots/${botId}/guilds`, headers: asUser(h.bob) })).statusCode).toBe(404);
  }, 20_000);

  it('resumes after a dropped socket and starts no duplicate run for a replayed event', async () => {
    const { world, botId, workflowId } = await setUpBot();
    await startRuntime('worker-a');
    await waitFor(() => botRow(botId), (row) => row.status === 'online');
    h.discord.simulate.memberJoin(world.guild.id, { username: 'before' });
    await waitFor(() => runInputs(workflowId), (rows) => rows.length === 1);
    h.discord.gateway.dropConnections(world.application.id);
    h.discord.simulate.memberJoin(world.guild.id, { username: 'while-away' });
    await waitFor(() => h.discord.gateway.countResumes(world.application.id), (count) => count === 1);
    await waitFor(() => runInputs(workflowId), (rows) => rows.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await runInputs(workflowId)).map((input) => input.user.username)).toEqual(['before', 'while-away']);
    expect(h.discord.gateway.countIdentifies(world.application.id)).toBe(1);
    expect((await botRow(botId)).status).toBe('online');
  }, 20_000);

  it('a runtime stopped while the SDK waits to reconnect a dropped socket stays disconnected', async () => {
    const { world, botId } = await setUpBot();
    const runtime = await startRuntime('worker-a');
    await waitFor(() => botRow(botId), (row) => row.status === 'online');
    h.discord.gateway.dropConnections(world.application.id);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the SDK reconnects on its own 500 ms after the drop
    await runtime.stop();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(h.discord.gateway.countResumes(world.application.id)).toBe(0);
    expect(h.discord.gateway.countIdentifies(world.application.id)).toBe(1);
    expect(h.discord.gateway.countConnectedSessions(world.application.id)).toBe(0);
  }, 20_000);

  it('close code 4014 stops retrying and names the privileged intent to enable', async () => {
    const { world, botId } = await setUpBot(0);
    await startRuntime('worker-a');
    const row = await waitFor(() => botRow(botId), (value) => value.status === 'intents_missing');
    expect(row.status_detail).toContain('Server Members Intent');
    expect(row.desired_state).toBe('stopped');
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS));
    // One IDENTIFY, refused, never retried.
    expect(await h.countRows('bot_gateway_identifies', `bot_id = '${botId}' AND count = 1`)).toBe(1);
    expect(h.discord.gateway.countConnectedSessions(world.application.id)).toBe(0);
    expect(await h.countRows('bot_runtime_events', `bot_id = '${botId}' AND level = 'error' AND message LIKE '%Server Members Intent%'`)).toBe(1);
  }, 20_000);

  it('a revoked token (4004 on RESUME) stops the bot with token_invalid', async () => {
    const { world, botId } = await setUpBot();
    await startRuntime('worker-a');
    await waitFor(() => botRow(botId), (row) => row.status === 'online');
    h.discord.state.revokeBotToken(world.application.id);
    h.discord.gateway.dropConnections(world.application.id);
    const row = await waitFor(() => botRow(botId), (value) => value.status === 'token_invalid');
    expect(row.desired_state).toBe('stopped');
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS));
    expect(h.discord.gateway.countConnectedSessions(world.application.id)).toBe(0);
  }, 20_000);

  it('two workers hold exactly one session; when the holder dies the other resumes it without duplicate runs', async () => {
    const { world, botId, workflowId } = await setUpBot();
    const first = await startRuntime('worker-a');
    const second = await startRuntime('worker-b');
    await waitFor(() => botRow(botId), (row) => row.status === 'online');
    for (let tick = 0; tick < 4; tick += 1) {
      await Promise.all([first.reconcile(), second.reconcile()]);
      expect(h.discord.gateway.countConnectedSessions(world.application.id)).toBe(1);
    }
    const [holder, other] = first.heldBotIds().includes(botId) ? [first, second] : [second, first];
    expect(other.heldBotIds()).not.toContain(botId);
    h.discord.simulate.memberJoin(world.guild.id, { username: 'one' });
    await waitFor(() => runInputs(workflowId), (rows) => rows.length === 1);

    await holder.abandon();
    h.discord.simulate.memberJoin(world.guild.id, { username: 'two' });
    await waitFor(() => other.heldBotIds(), (ids) => ids.includes(botId), 8_000);
    await waitFor(() => runInputs(workflowId), (rows) => rows.length === 2);
    await waitFor(() => h.discord.gateway.countConnectedSessions(world.application.id), (count) => count === 1);
    // Resumed, not identified anew. A loaded CI machine once showed a second RESUME (the first
    // attempt timed out); what must hold is one session and no duplicate run, checked here and below.
    expect(h.discord.gateway.countResumes(world.application.id)).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await runInputs(workflowId)).map((input) => input.user.username)).toEqual(['one', 'two']);
  }, 25_000);
});
