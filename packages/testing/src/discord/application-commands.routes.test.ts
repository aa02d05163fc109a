import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDiscordStandin, type DiscordStandin } from './discord-standin';
import { seedBotWorld, type BotWorld } from './seed-bot-world';
import { fetchApi, type ApiResponse } from './api-test-types';

let standin: DiscordStandin;
let world: BotWorld;

beforeEach(async () => {
  standin = await startDiscordStandin();
  world = seedBotWorld(standin.state);
});
afterEach(() => standin.close());

function call(method: string, path: string, body?: unknown, token = world.application.bot!.token): Promise<ApiResponse> {
  return fetchApi(`${standin.apiUrl}${path}`, {
    method,
    headers: { Authorization: `Bot ${token}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const COMMANDS = [
  { name: 'ping', description: 'Replies with pong' },
  { name: 'warn', description: 'Warns a member', options: [{ type: 6, name: 'user', description: 'Who', required: true }] },
];

describe('bulk overwrite', () => {
  it('replaces the global commands, keeps ids of same-named commands and counts each call', async () => {
    const path = `/applications/${world.application.id}/commands`;
    const first = await (await call('PUT', path, COMMANDS)).json();
    expect(first.map((c: { name: string }) => c.name)).toEqual(['ping', 'warn']);
    expect(first[0]).toMatchObject({ application_id: world.application.id, type: 1, description: 'Replies with pong' });
    const second = await (await call('PUT', path, [COMMANDS[0]])).json();
    expect(second).toHaveLength(1);
    expect(second[0].id).toBe(first[0].id);
    expect(await (await call('GET', path)).json()).toHaveLength(1);
    expect(standin.state.commands.countOverwrites({ applicationId: world.application.id })).toBe(2);
    expect(standin.state.commands.countOverwrites({ applicationId: world.application.id, guildId: world.guild.id })).toBe(0);
  });

  it('keeps guild commands apart from global ones', async () => {
    const path = `/applications/${world.application.id}/guilds/${world.guild.id}/commands`;
    const [command] = await (await call('PUT', path, [COMMANDS[0]])).json();
    expect(command.guild_id).toBe(world.guild.id);
    expect(await (await call('GET', `/applications/${world.application.id}/commands`)).json()).toEqual([]);
    expect(standin.state.commands.countOverwrites({ applicationId: world.application.id, guildId: world.guild.id })).toBe(1);
  });

  it('refuses an invalid list with 50035 and changes nothing', async () => {
    const path = `/applications/${world.application.id}/commands`;
    const reply = await call('PUT', path, [{ name: 'Bad Name', description: '' }, COMMANDS[0], COMMANDS[0]]);
    expect(reply.status).toBe(400);
    const body = await reply.json();
    expect(body).toMatchObject({ code: 50035, errors: { 0: { name: { _errors: [{ code: 'APPLICATION_COMMAND_INVALID_NAME' }] } }, 2: { name: {} } } });
    expect(await (await call('GET', path)).json()).toEqual([]);
    expect(standin.state.commands.countOverwrites({ applicationId: world.application.id })).toBe(0);
  });
});

describe('single commands', () => {
  it('creates (201), overwrites by name (200), edits and deletes', async () => {
    const path = `/applications/${world.application.id}/commands`;
    const created = await call('POST', path, COMMANDS[0]);
    expect(created.status).toBe(201);
    const { id, version } = await created.json();
    const again = await call('POST', path, { ...COMMANDS[0], description: 'Pong!' });
    expect(again.status).toBe(200);
    expect((await again.json()).id).toBe(id);
    const edited = await (await call('PATCH', `${path}/${id}`, { description: 'Edited' })).json();
    expect(edited).toMatchObject({ id, name: 'ping', description: 'Edited' });
    expect(edited.version).not.toBe(version);
    expect((await call('DELETE', `${path}/${id}`)).status).toBe(204);
    expect(await (await call('GET', `${path}/${id}`)).json()).toEqual({ message: 'Unknown application command', code: 10063 });
  });
});

describe('access', () => {
  it('answers 404 Unknown Guild (10004) and 403 Missing Access for a guild without the bot', async () => {
    const unknown = await call('GET', `/applications/${world.application.id}/guilds/1234567890123/commands`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: 'Unknown Guild', code: 10004 });
    const elsewhere = standin.state.addGuild({ name: 'Elsewhere', owner_id: world.alice.id });
    const missing = await call('GET', `/applications/${world.application.id}/guilds/${elsewhere.id}/commands`);
    expect(missing.status).toBe(403);
    expect((await missing.json()).code).toBe(50001);
  });

  it("refuses another application's token with 403 and a revoked token with 401", async () => {
    const other = standin.state.addApplication({ bot: true });
    const foreign = await call('GET', `/applications/${world.application.id}/commands`, undefined, other.bot!.token);
    expect(foreign.status).toBe(403);
    const oldToken = world.application.bot!.token;
    standin.state.revokeBotToken(world.application.id);
    const revoked = await call('GET', `/applications/${world.application.id}/commands`, undefined, oldToken);
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toEqual({ message: '401: Unauthorized', code: 0 });
  });
});
