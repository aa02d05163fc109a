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
  world = seedBotWorld(standin.state);
  gateway = await GatewayTestClient.ready(standin.gatewayUrl, world.application.bot!.token, Intent.Guilds | Intent.GuildMessages);
});
afterEach(async () => {
  gateway.close();
  await standin.close();
});

function call(method: string, path: string, body?: unknown, token = world.application.bot!.token): Promise<ApiResponse> {
  return fetchApi(`${standin.apiUrl}${path}`, {
    method,
    headers: { Authorization: `Bot ${token}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe('messages', () => {
  it('creates, edits and deletes a message, announcing each on the gateway', async () => {
    const path = `/channels/${world.general.id}/messages`;
    const created = await (await call('POST', path, { content: 'hello', embeds: [{ title: 'Hi' }], components: [] })).json();
    expect(created).toMatchObject({ content: 'hello', channel_id: world.general.id, author: { id: world.bot.id, bot: true }, embeds: [{ title: 'Hi' }] });
    expect((await gateway.dispatch('MESSAGE_CREATE')).d).toMatchObject({ id: created.id, guild_id: world.guild.id, member: { roles: [world.roles.bot.id] } });
    const edited = await (await call('PATCH', `${path}/${created.id}`, { content: 'hello again' })).json();
    expect(edited.edited_timestamp).not.toBeNull();
    expect((await gateway.dispatch('MESSAGE_UPDATE')).d).toMatchObject({ id: created.id, content: 'hello again' });
    expect((await call('DELETE', `${path}/${created.id}`)).status).toBe(204);
    expect((await gateway.dispatch('MESSAGE_DELETE')).d).toEqual({ id: created.id, channel_id: world.general.id, guild_id: world.guild.id });
    expect((await call('GET', `${path}/${created.id}`)).status).toBe(404);
  });

  it('refuses an empty message (50006), unknown channels (10003) and unknown messages (10008)', async () => {
    const empty = await call('POST', `/channels/${world.general.id}/messages`, { content: '' });
    expect(await empty.json()).toEqual({ message: 'Cannot send an empty message', code: 50006 });
    const channel = await call('POST', '/channels/1234567890123/messages', { content: 'x' });
    expect(channel.status).toBe(404);
    expect(await channel.json()).toEqual({ message: 'Unknown Channel', code: 10003 });
    const message = await call('PATCH', `/channels/${world.general.id}/messages/1234567890123`, { content: 'x' });
    expect(await message.json()).toEqual({ message: 'Unknown Message', code: 10008 });
    expect(standin.state.messages.list(world.general.id)).toEqual([]);
  });

  it("does not edit someone else's message (50005)", async () => {
    const theirs = standin.simulate.messageCreate(world.general.id, { authorId: world.alice.id, content: 'mine' });
    const reply = await call('PATCH', `/channels/${world.general.id}/messages/${theirs.id}`, { content: 'hacked' });
    expect(reply.status).toBe(403);
    expect((await reply.json()).code).toBe(50005);
  });

  it('answers 401 after the bot token is revoked', async () => {
    const oldToken = world.application.bot!.token;
    standin.state.revokeBotToken(world.application.id);
    const reply = await call('POST', `/channels/${world.general.id}/messages`, { content: 'x' }, oldToken);
    expect(reply.status).toBe(401);
    expect(await reply.json()).toEqual({ message: '401: Unauthorized', code: 0 });
  });
});

describe('threads and DMs', () => {
  it('starts one thread from a message, whose id is the message id', async () => {
    const message = standin.simulate.messageCreate(world.general.id, { authorId: world.alice.id, content: 'discuss' });
    const path = `/channels/${world.general.id}/messages/${message.id}/threads`;
    const thread = await (await call('POST', path, { name: 'Discussion' })).json();
    expect(thread).toMatchObject({ id: message.id, type: 11, parent_id: world.general.id, name: 'Discussion', owner_id: world.bot.id });
    expect((await gateway.dispatch('THREAD_CREATE')).d).toMatchObject({ id: message.id, newly_created: true });
    expect((await call('POST', path, { name: 'Again' })).status).toBe(400);
  });

  it('opens the same DM channel twice and refuses unknown recipients', async () => {
    const first = await (await call('POST', '/users/@me/channels', { recipient_id: world.alice.id })).json();
    const second = await (await call('POST', '/users/@me/channels', { recipient_id: world.alice.id })).json();
    expect(first).toMatchObject({ type: 1, recipients: [{ id: world.alice.id }] });
    expect(second.id).toBe(first.id);
    const dm = await (await call('POST', `/channels/${first.id}/messages`, { content: 'hi alice' })).json();
    expect(dm.channel_id).toBe(first.id);
    expect((await call('POST', '/users/@me/channels', { recipient_id: '1234567890123' })).status).toBe(400);
  });
});
