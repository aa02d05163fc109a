import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InteractionType } from 'discord-api-types/v10';
import { startDiscordStandin, type DiscordStandin } from './discord-standin';
import { startInteractionEndpoint, type EndpointAnswer } from './interaction-endpoint.test-helper';
import { seedBotWorld, type BotWorld } from './seed-bot-world';

let standin: DiscordStandin;
let world: BotWorld;
let endpoint: Awaited<ReturnType<typeof startInteractionEndpoint>>;
let answer: EndpointAnswer;

beforeEach(async () => {
  standin = await startDiscordStandin();
  world = seedBotWorld(standin.state);
  answer = { status: 200, json: { type: 4, data: { content: 'pong' } } };
  // Like a real bot: refuse a bad signature with 401, answer a PING with PONG.
  endpoint = await startInteractionEndpoint(world.application.public_key, (received) => {
    if (!received.isSignatureValid) return { status: 401, json: { error: 'invalid request signature' } };
    return JSON.parse(received.body).type === InteractionType.Ping ? { status: 200, json: { type: 1 } } : answer;
  });
});
afterEach(async () => {
  await endpoint.close();
  await standin.close();
});

const PING_COMMAND = { id: '1', name: 'ping', type: 1 };

describe('signed interaction delivery', () => {
  it('exposes the public key as 32 raw bytes in hex', () => {
    expect(world.application.public_key).toMatch(/^[0-9a-f]{64}$/);
  });

  it('signs so that discord-interactions verifyKey accepts it, and a PING gets its PONG', async () => {
    const result = await standin.sendInteraction(world.application.id, { url: endpoint.url, type: InteractionType.Ping });
    expect(endpoint.received[0]!.isSignatureValid).toBe(true);
    expect(result).toMatchObject({ status: 200, body: { type: 1 }, isAcknowledged: true });
    expect(result.latencyMs).toBeGreaterThan(0);
  });

  it('builds a real guild command payload with member, token and permissions', async () => {
    const result = await standin.sendInteraction(world.application.id, { url: endpoint.url, guildId: world.guild.id, userId: world.alice.id, data: PING_COMMAND });
    const payload = JSON.parse(endpoint.received[0]!.body);
    expect(payload).toMatchObject({
      id: result.interactionId,
      application_id: world.application.id,
      type: 2,
      token: result.token,
      version: 1,
      guild_id: world.guild.id,
      channel_id: world.general.id,
      data: PING_COMMAND,
      member: { user: { id: world.alice.id }, roles: [world.roles.member.id] },
      locale: 'en-US',
    });
    expect(BigInt(payload.app_permissions)).toBeGreaterThan(0n);
    expect(endpoint.received[0]!.headers['x-signature-timestamp']).toMatch(/^\d+$/);
  });

  it('takes a JSON reply as the initial response: the message appears in the channel', async () => {
    const result = await standin.sendInteraction(world.application.id, { url: endpoint.url, guildId: world.guild.id, data: PING_COMMAND });
    const response = await standin.waitForInteractionResponse(result.interactionId, { timeoutMs: 1_000 });
    expect(response).toMatchObject({ kind: 'callback', type: 4 });
    const [message] = standin.state.messages.list(world.general.id);
    expect(message).toMatchObject({ content: 'pong', author_id: world.bot.id, webhook_id: world.application.id });
  });

  it.each([
    ['a wrong signature', { wrongSignature: true }],
    ['a body changed after signing', { alterBodyAfterSigning: true }],
  ])('sends %s that verifyKey rejects', async (_name, tamper) => {
    const result = await standin.sendInteraction(world.application.id, { url: endpoint.url, guildId: world.guild.id, data: PING_COMMAND, tamper });
    expect(endpoint.received[0]!.isSignatureValid).toBe(false);
    expect(result).toMatchObject({ status: 401, isAcknowledged: false });
  });

  it('sends a stale timestamp, still correctly signed, for replay-window tests', async () => {
    await standin.sendInteraction(world.application.id, { url: endpoint.url, guildId: world.guild.id, data: PING_COMMAND, tamper: { staleBySeconds: 600 } });
    const timestamp = Number(endpoint.received[0]!.headers['x-signature-timestamp']);
    expect(Date.now() / 1000 - timestamp).toBeGreaterThan(590);
    expect(endpoint.received[0]!.isSignatureValid).toBe(true);
  });
});
