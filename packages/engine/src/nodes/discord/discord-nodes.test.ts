import { describe, expect, it } from 'vitest';
import type { DiscordRequest } from '../../node-services';
import { buildNode, runAfterTrigger } from '../../workflow-fixtures';
import { messageNonce } from './discord-params';

const BOT = '0190a0a0-0000-7000-8000-000000000001';
const CHANNEL = '123456789012345678';

function createRecordingDiscord(reply: unknown = { id: '223456789012345678', channel_id: CHANNEL }) {
  const calls: DiscordRequest[] = [];
  return { calls, discord: { request: (request: DiscordRequest) => (calls.push(request), Promise.resolve(reply)) } };
}

describe('Discord action nodes', () => {
  it('send-message renders templates, silences mentions and carries a nonce from the idempotency key', async () => {
    const { calls, discord } = createRecordingDiscord();
    const node = buildNode('send', 'discord.message.send', { botId: BOT, channelId: CHANNEL, content: 'Welcome {{ name }}' });
    const outcome = await runAfterTrigger(node, { name: 'Ada' }, { services: { discord } });
    expect(outcome.status).toBe('succeeded');
    expect(calls).toEqual([
      {
        botId: BOT,
        method: 'POST',
        route: `/channels/${CHANNEL}/messages`,
        body: { content: 'Welcome Ada', allowed_mentions: { parse: [] }, nonce: messageNonce('test-run:send'), enforce_nonce: true },
        signal: expect.any(AbortSignal),
      },
    ]);
    expect(messageNonce('test-run:send')).toHaveLength(25);
    expect(outcome.steps[1]!.output).toEqual({ messageId: '223456789012345678', channelId: CHANNEL });
  });

  it('refuses an empty message and a malformed id before calling Discord', async () => {
    const { calls, discord } = createRecordingDiscord();
    const empty = await runAfterTrigger(buildNode('send', 'discord.message.send', { botId: BOT, channelId: CHANNEL }), {}, { services: { discord } });
    expect(empty.status).toBe('failed');
    // A literal that is not a snowflake is caught when the graph is compiled.
    await expect(runAfterTrigger(buildNode('kick', 'discord.member.kick', { botId: BOT, guildId: 'general', userId: CHANNEL }), {}, { services: { discord } })).rejects.toMatchObject({ code: 'ENGINE_GRAPH_INVALID' });
    expect(calls).toHaveLength(0);
  });

  it('ban, timeout and follow-up build the documented routes and bodies', async () => {
    const { calls, discord } = createRecordingDiscord(undefined);
    await runAfterTrigger(buildNode('ban', 'discord.member.ban', { botId: BOT, guildId: CHANNEL, userId: CHANNEL, reason: 'spam', deleteMessageSeconds: 3600 }), {}, { services: { discord } });
    await runAfterTrigger(buildNode('reply', 'discord.interaction.reply', { botId: BOT, applicationId: CHANNEL, interactionToken: 'tok/en', content: 'done', ephemeral: true }), {}, { services: { discord } });
    expect(calls.map(({ method, route, body, reason, useBotToken }) => ({ method, route, body, reason, useBotToken }))).toEqual([
      { method: 'PUT', route: `/guilds/${CHANNEL}/bans/${CHANNEL}`, body: { delete_message_seconds: 3600 }, reason: 'spam', useBotToken: undefined },
      { method: 'POST', route: `/webhooks/${CHANNEL}/tok%2Fen`, body: { content: 'done', allowed_mentions: { parse: [] }, flags: 64 }, reason: undefined, useBotToken: false },
    ]);
  });

  it('fails with a clear error when the host provides no services.discord', async () => {
    const outcome = await runAfterTrigger(buildNode('send', 'discord.message.send', { botId: BOT, channelId: CHANNEL, content: 'x' }), {}, { services: {} });
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.code).toBe('ENGINE_SERVICE_UNAVAILABLE');
  });
});
