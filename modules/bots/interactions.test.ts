import { ChannelType, InteractionResponseType, InteractionType, MessageFlags, PermissionFlagsBits } from 'discord-api-types/v10';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandinApplication } from '@weft/testing';
import { asUser, buildChain, buildNode, createBotsHarness, type BotsHarness } from './test-fixtures/bots-harness';
import { FAILURE_TEXT } from './interaction-reply';

let h: BotsHarness;
let application: StandinApplication;
let botId: string;
let endpoint: string;
let guildId: string;
let memberId: string;

const slash = (name: string, options: unknown[] = []) => ({ id: '1', name, type: 1, options });

async function addCommand(body: Record<string, unknown>, id = botId, user = h.alice, workspace = h.alpha.slug) {
  const res = await h.app.inject({ method: 'POST', url: `/api/v1/workspaces/${workspace}/bots/${id}/commands`, headers: asUser(user), payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

beforeAll(async () => {
  h = await createBotsHarness({ deferAfterMs: 400 });
  const owner = h.discord.state.addUser({ username: 'owner' });
  const member = h.discord.state.addUser({ username: 'ada', global_name: 'Ada' });
  memberId = member.id;
  const guild = h.discord.state.addGuild({ name: 'Den', owner_id: owner.id, channels: [{ name: 'general', type: ChannelType.GuildText }] });
  guildId = guild.id;
  h.discord.state.addMember(guild.id, member.id, PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel);
  application = h.addApplication();
  botId = await h.connectBot(application);
  endpoint = `${h.baseUrl}/discord/interactions/${botId}`;
  await h.app.inject({ method: 'POST', url: `/api/v1/workspaces/alpha/bots/${botId}/start`, headers: asUser(h.alice) });
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('POST /discord/interactions/:botId', () => {
  it('answers a signed PING with {"type":1}', async () => {
    const result = await h.discord.sendInteraction(application.id, { url: endpoint, type: InteractionType.Ping });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ type: 1 });
  });

  it('a wrong signature, a stale timestamp or a changed body gets 401 and runs nothing', async () => {
    const workflowId = await h.publishWorkflow(buildChain(buildNode('command', 'trigger.discord-command'), buildNode('reply', 'respond', { body: 'ran' })));
    await addCommand({ kind: 'slash', name: 'guarded', description: 'Guarded', workflowId });
    const runsBefore = await h.countRows('runs');
    for (const tamper of [{ wrongSignature: true }, { staleBySeconds: 301 }, { alterBodyAfterSigning: true }]) {
      const result = await h.discord.sendInteraction(application.id, { url: endpoint, guildId, userId: memberId, data: slash('guarded'), tamper });
      expect(result.status, JSON.stringify(tamper)).toBe(401);
      expect(result.body).toMatchObject({ error: { code: 'DISCORD_SIGNATURE_INVALID' } });
    }
    expect(await h.countRows('runs')).toBe(runsBefore);
  });

  it('refuses a request without signature headers (401) and an unknown bot (404)', async () => {
    const unsigned = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":1}' });
    expect(unsigned.status).toBe(401);
    const unknown = await fetch(`${h.baseUrl}/discord/interactions/0190a0b0-0000-7000-8000-000000000001`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature-ed25519': 'ab'.repeat(64), 'x-signature-timestamp': String(Math.floor(Date.now() / 1000)) },
      body: '{"type":1}',
    });
    expect(unknown.status).toBe(404);
  });

  it('replies type 4 with the content of a 3-node flow (trigger → transform → respond)', async () => {
    const workflowId = await h.publishWorkflow(
      buildChain(
        buildNode('command', 'trigger.discord-command'),
        buildNode('shape', 'transform', { mapping: { content: '"Hello " & user.username & ", you rolled " & $string(options.sides)' } }),
        buildNode('reply', 'respond'),
      ),
    );
    await addCommand({ kind: 'slash', name: 'roll', description: 'Roll a die', options: [{ type: 4, name: 'sides', description: 'Sides', required: true }], workflowId });
    const result = await h.discord.sendInteraction(application.id, { url: endpoint, guildId, userId: memberId, data: slash('roll', [{ name: 'sides', type: 4, value: 20 }]) });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ type: InteractionResponseType.ChannelMessageWithSource, data: { content: 'Hello ada, you rolled 20' } });
    expect(result.latencyMs).toBeLessThan(3000);
  });

  it('defers a slow flow (type 5, ephemeral) and completes it with PATCH …/messages/@original', async () => {
    const workflowId = await h.publishWorkflow(buildChain(buildNode('command', 'trigger.discord-command'), buildNode('wait', 'delay', { ms: 900 }), buildNode('reply', 'respond', { body: { content: 'Finally done' } })));
    await addCommand({ kind: 'slash', name: 'slow', description: 'Takes its time', workflowId, isEphemeral: true });
    const result = await h.discord.sendInteraction(application.id, { url: endpoint, guildId, userId: memberId, data: slash('slow') });
    expect(result.body).toEqual({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } });
    const edit = await h.discord.waitForInteractionResponse(result.interactionId, { kind: 'edit-original', timeoutMs: 5000 });
    expect(edit.body).toMatchObject({ content: 'Finally done' });
  });

  it('a failing flow gives the user a short ephemeral message, never the error, and logs it for the owner', async () => {
    const workflowId = await h.publishWorkflow(buildChain(buildNode('command', 'trigger.discord-command'), buildNode('boom', 'transform', { mapping: { x: '$error("secret internals")' } }), buildNode('reply', 'respond')));
    await addCommand({ kind: 'slash', name: 'broken', description: 'Fails', workflowId });
    const result = await h.discord.sendInteraction(application.id, { url: endpoint, guildId, userId: memberId, data: slash('broken') });
    expect(result.body).toEqual({ type: 4, data: { content: FAILURE_TEXT, flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } } });
    expect(JSON.stringify(result.body)).not.toContain('secret internals');
    await h.bots.stop();
    await h.bots.start();
    const events = await h.app.inject({ method: 'GET', url: `/api/v1/workspaces/alpha/bots/${botId}/events`, headers: asUser(h.alice) });
    expect(events.json().items.some((e: { level: string; message: string }) => e.level === 'error' && e.message.includes('broken'))).toBe(true);
  });

  it('refuses a second use within the cooldown without starting a run', async () => {
    const workflowId = await h.publishWorkflow(buildChain(buildNode('command', 'trigger.discord-command'), buildNode('reply', 'respond', { body: 'ok' })));
    await addCommand({ kind: 'slash', name: 'daily', description: 'Once a minute', workflowId, cooldownSeconds: 60 });
    const first = await h.discord.sendInteraction(application.id, { url: endpoint, guildId, userId: memberId, data: slash('daily') });
    expect(first.body).toMatchObject({ type: 4, data: { content: 'ok' } });
    // Run records are written by a group commit: let it land before counting.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const runs = await h.countRows('runs', `workflow_id = '${workflowId}'`);
    expect(runs).toBe(1);
    const second = await h.discord.sendInteraction(application.id, { url: endpoint, guildId, userId: memberId, data: slash('daily') });
    expect(second.body).toMatchObject({ type: 4, data: { flags: MessageFlags.Ephemeral } });
    expect((second.body as { data: { content: string } }).data.content).toMatch(/cooldown; try again in \d+ s/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await h.countRows('runs', `workflow_id = '${workflowId}'`)).toBe(runs);
  });

  it('refuses a member without the required permissions; the guild owner passes', async () => {
    const workflowId = await h.publishWorkflow(buildChain(buildNode('command', 'trigger.discord-command'), buildNode('reply', 'respond', { body: 'kicked' })));
    await addCommand({ kind: 'slash', name: 'kick', description: 'Kick someone', workflowId, requiredPermissions: PermissionFlagsBits.KickMembers.toString() });
    const refused = await h.discord.sendInteraction(application.id, { url: endpoint, guildId, userId: memberId, data: slash('kick') });
    expect(refused.body).toMatchObject({ type: 4, data: { content: 'You do not have the permissions this command needs.', flags: MessageFlags.Ephemeral } });
    const owner = await h.discord.sendInteraction(application.id, { url: endpoint, guildId, data: slash('kick') });
    expect(owner.body).toMatchObject({ type: 4, data: { content: 'kicked' } });
  });

  it('routes a button by custom_id prefix and a modal submit, with their values as input', async () => {
    const workflowId = await h.publishWorkflow(buildChain(buildNode('command', 'trigger.discord-command'), buildNode('reply', 'respond', { body: { content: '{{ kind & ":" & customId & ":" & $join(values, ",") & $string(fields.reason) }}', update: true } })));
    await addCommand({ kind: 'component', name: 'vote:', workflowId });
    const button = await h.discord.sendInteraction(application.id, { url: endpoint, guildId, userId: memberId, type: InteractionType.MessageComponent, data: { custom_id: 'vote:yes', component_type: 3, values: ['a', 'b'] } });
    expect(button.body).toMatchObject({ type: InteractionResponseType.UpdateMessage, data: { content: 'component:vote:yes:a,b' } });
    const modal = await h.discord.sendInteraction(application.id, {
      url: endpoint,
      guildId,
      userId: memberId,
      type: InteractionType.ModalSubmit,
      data: { custom_id: 'vote:why', components: [{ type: 1, components: [{ type: 4, custom_id: 'reason', value: 'because' }] }] },
    });
    expect(modal.body).toMatchObject({ data: { content: 'modal:vote:why:because' } });
  });

  it('answers autocomplete (type 8) with the choices the flow returns', async () => {
    const workflowId = await h.publishWorkflow(buildChain(buildNode('command', 'trigger.discord-command'), buildNode('reply', 'respond', { body: '{{ [{"name": "Apple " & focused.value, "value": "apple"}, {"name": "Apricot", "value": "apricot"}] }}' })));
    await addCommand({ kind: 'slash', name: 'fruit', description: 'Pick a fruit', options: [{ type: 3, name: 'name', description: 'Fruit', autocomplete: true }], workflowId });
    const result = await h.discord.sendInteraction(application.id, {
      url: endpoint,
      guildId,
      userId: memberId,
      type: InteractionType.ApplicationCommandAutocomplete,
      data: slash('fruit', [{ name: 'name', type: 3, value: 'ap', focused: true }]),
    });
    expect(result.body).toEqual({ type: 8, data: { choices: [{ name: 'Apple ap', value: 'apple' }, { name: 'Apricot', value: 'apricot' }] } });
  });

  it("an interaction for A's bot never runs B's workflows", async () => {
    const betaWorkflow = await h.publishWorkflow(buildChain(buildNode('command', 'trigger.discord-command'), buildNode('reply', 'respond', { body: 'beta ran' })), h.beta);
    const refused = await h.app.inject({
      method: 'POST',
      url: `/api/v1/workspaces/alpha/bots/${botId}/commands`,
      headers: asUser(h.alice),
      payload: { kind: 'slash', name: 'steal', description: 'Uses beta', workflowId: betaWorkflow },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('BOT_WORKFLOW_NOT_FOUND');
    // Even a row pointing at B's workflow (written behind the API's back) runs in A's workspace only: not found there.
    await h.database.db.execute(
      sql.raw(`INSERT INTO bot_commands (id, bot_id, workspace_id, scope, kind, name, workflow_id) VALUES ('0190a0b0-0000-7000-8000-0000000000aa', '${botId}', '${h.alpha.id}', 'global', 'slash', 'steal', '${betaWorkflow}')`),
    );
    await h.database.db.execute(sql.raw(`SELECT pg_notify('weft_bot_changes', '${botId}')`));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const result = await h.discord.sendInteraction(application.id, { url: endpoint, guildId, userId: memberId, data: slash('steal') });
    expect(result.body).toMatchObject({ type: 4, data: { content: FAILURE_TEXT } });
    expect(await h.countRows('runs', `workflow_id = '${betaWorkflow}'`)).toBe(0);
  });

  it('counts usage per command per day, refusals included', async () => {
    await h.bots.api.flushUsage();
    const usage = await h.app.inject({ method: 'GET', url: `/api/v1/workspaces/alpha/bots/${botId}/usage?days=1`, headers: asUser(h.alice) });
    const items = usage.json().items as { invocations: number; refusals: number; failures: number }[];
    expect(items.reduce((sum, i) => sum + i.invocations, 0)).toBeGreaterThanOrEqual(8);
    expect(items.reduce((sum, i) => sum + i.refusals, 0)).toBeGreaterThanOrEqual(2);
    expect(items.reduce((sum, i) => sum + i.failures, 0)).toBeGreaterThanOrEqual(1);
  });
});
