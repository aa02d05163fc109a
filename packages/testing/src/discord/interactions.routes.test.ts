import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GatewayIntentBits as Intent } from 'discord-api-types/v10';
import { createManualClock } from '@weft/kernel';
import { startDiscordStandin, type DiscordStandin } from './discord-standin';
import { GatewayTestClient } from './gateway/gateway-test-client';
import { startInteractionEndpoint } from './interaction-endpoint.test-helper';
import { seedBotWorld, type BotWorld } from './seed-bot-world';
import { fetchApi, type ApiResponse } from './api-test-types';

let clock: ReturnType<typeof createManualClock>;
let standin: DiscordStandin;
let world: BotWorld;
let endpoint: Awaited<ReturnType<typeof startInteractionEndpoint>>;

beforeEach(async () => {
  clock = createManualClock();
  standin = await startDiscordStandin({ clock });
  world = seedBotWorld(standin.state);
  // The bot acknowledges nothing in its HTTP reply: the tests answer through the callback route.
  endpoint = await startInteractionEndpoint(world.application.public_key, () => ({ status: 202 }));
});
afterEach(async () => {
  await endpoint.close();
  await standin.close();
});

async function sendCommand(): Promise<{ interactionId: string; token: string }> {
  return standin.sendInteraction(world.application.id, { url: endpoint.url, guildId: world.guild.id, data: { id: '1', name: 'ping', type: 1 } });
}

function post(path: string, body: unknown, method = 'POST'): Promise<ApiResponse> {
  return fetchApi(`${standin.apiUrl}${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

const callback = (interaction: { interactionId: string; token: string }, body: unknown, query = '') =>
  post(`/interactions/${interaction.interactionId}/${interaction.token}/callback${query}`, body);
const webhook = (interaction: { token: string }, suffix = '') => `/webhooks/${world.application.id}/${interaction.token}${suffix}`;

describe('initial response', () => {
  it('accepts a callback within 3 s, records it and wakes a waiting test', async () => {
    const interaction = await sendCommand();
    const waiting = standin.waitForInteractionResponse(interaction.interactionId, { timeoutMs: 1_000 });
    clock.advance(2_900);
    const reply = await callback(interaction, { type: 4, data: { content: 'pong', flags: 64 } });
    expect(reply.status).toBe(204);
    expect(await waiting).toMatchObject({ kind: 'callback', type: 4, body: { data: { content: 'pong' } } });
    const [message] = standin.state.messages.list(world.general.id);
    expect(message).toMatchObject({ content: 'pong', flags: 64 });
  });

  it('answers 404 Unknown interaction (10062) after 3 s', async () => {
    const interaction = await sendCommand();
    clock.advance(3_001);
    const reply = await callback(interaction, { type: 4, data: { content: 'too late' } });
    expect(reply.status).toBe(404);
    expect(await reply.json()).toEqual({ message: 'Unknown interaction', code: 10062 });
    expect(standin.state.interactions.responses(interaction.interactionId)).toEqual([]);
  });

  it('answers 400 code 40060 to a second callback', async () => {
    const interaction = await sendCommand();
    expect((await callback(interaction, { type: 5 })).status).toBe(204);
    const second = await callback(interaction, { type: 4, data: { content: 'again' } });
    expect(second.status).toBe(400);
    expect(await second.json()).toEqual({ message: 'Interaction has already been acknowledged.', code: 40060 });
  });

  it('answers 10062 for a wrong token and 50035 for a type the interaction cannot take', async () => {
    const interaction = await sendCommand();
    expect((await callback({ ...interaction, token: 'forged' }, { type: 4, data: { content: 'x' } })).status).toBe(404);
    const wrongType = await callback(interaction, { type: 8, data: { choices: [] } });
    expect(wrongType.status).toBe(400);
    expect((await wrongType.json()).code).toBe(50035);
  });

  it('returns the callback resource with ?with_response=true', async () => {
    const interaction = await sendCommand();
    const reply = await callback(interaction, { type: 4, data: { content: 'pong' } }, '?with_response=true');
    expect(reply.status).toBe(200);
    expect(await reply.json()).toMatchObject({ interaction: { id: interaction.interactionId, response_message_loading: false }, resource: { type: 4, message: { content: 'pong' } } });
  });
});

describe('followups and @original', () => {
  it('fills a deferred response by editing @original, and dispatches the message to the bot', async () => {
    const gateway = await GatewayTestClient.ready(standin.gatewayUrl, world.application.bot!.token, Intent.Guilds | Intent.GuildMessages);
    try {
      const interaction = await sendCommand();
      await callback(interaction, { type: 5 });
      const loading = await (await fetchApi(`${standin.apiUrl}${webhook(interaction, '/messages/@original')}`)).json();
      expect(loading).toMatchObject({ content: '', flags: 128 });
      const edited = await post(webhook(interaction, '/messages/@original'), { content: 'done' }, 'PATCH');
      expect(await edited.json()).toMatchObject({ id: loading.id, content: 'done', flags: 0 });
      const update = await gateway.dispatch('MESSAGE_UPDATE');
      // The bot's own message keeps its content even without MESSAGE_CONTENT.
      expect(update.d).toMatchObject({ id: loading.id, content: 'done', guild_id: world.guild.id });
      expect(standin.state.interactions.responses(interaction.interactionId).map((r) => r.kind)).toEqual(['callback', 'edit-original']);
    } finally {
      gateway.close();
    }
  });

  it('creates, edits and deletes followup messages of its own interaction only', async () => {
    const interaction = await sendCommand();
    await callback(interaction, { type: 4, data: { content: 'first' } });
    const followup = await (await post(webhook(interaction), { content: 'second' })).json();
    expect(followup).toMatchObject({ content: 'second', webhook_id: world.application.id });
    const edited = await post(webhook(interaction, `/messages/${followup.id}`), { content: 'second, edited' }, 'PATCH');
    expect((await edited.json()).content).toBe('second, edited');
    const other = await sendCommand();
    await callback(other, { type: 4, data: { content: 'other' } });
    expect((await fetchApi(`${standin.apiUrl}${webhook(other, `/messages/${followup.id}`)}`)).status).toBe(404);
    expect((await fetchApi(`${standin.apiUrl}${webhook(interaction, `/messages/${followup.id}`)}`, { method: 'DELETE' })).status).toBe(204);
    expect(standin.state.messages.list(world.general.id).map((m) => m.content)).toEqual(['first', 'other']);
  });

  it('has no webhook before the initial response (10015), and none after 15 minutes (401 50027)', async () => {
    const interaction = await sendCommand();
    const early = await post(webhook(interaction), { content: 'too early' });
    expect(await early.json()).toEqual({ message: 'Unknown Webhook', code: 10015 });
    await callback(interaction, { type: 5 });
    clock.advance(15 * 60_000 + 1);
    const late = await post(webhook(interaction), { content: 'too late' });
    expect(late.status).toBe(401);
    expect((await late.json()).code).toBe(50027);
  });
});
