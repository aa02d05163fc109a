import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REST } from '@discordjs/rest';
import { WebSocketManager, WebSocketShardEvents } from '@discordjs/ws';
import { GatewayIntentBits as Intent, type GatewayDispatchPayload } from 'discord-api-types/v10';
import { startDiscordStandin, type DiscordStandin } from '../discord-standin';
import { seedBotWorld, type BotWorld } from '../seed-bot-world';

/**
 * Wire compatibility with the SDK modules/bots uses: @discordjs/ws fetches
 * GET /gateway/bot through @discordjs/rest, connects, identifies, heartbeats
 * and resumes against the stand-in exactly as it would against Discord.
 */
let standin: DiscordStandin;
let world: BotWorld;
let manager: WebSocketManager | undefined;

beforeEach(async () => {
  standin = await startDiscordStandin({ gateway: { heartbeatIntervalMs: 1_000 } });
  world = seedBotWorld(standin.state);
});
afterEach(async () => {
  await manager?.destroy();
  manager = undefined;
  await standin.close();
});

function startManager(): { dispatches: GatewayDispatchPayload[]; manager: WebSocketManager } {
  const token = world.application.bot!.token;
  const rest = new REST({ api: `${standin.url}/api`, version: '10' }).setToken(token);
  manager = new WebSocketManager({ token, intents: Intent.Guilds | Intent.GuildMessages, rest });
  const dispatches: GatewayDispatchPayload[] = [];
  manager.on(WebSocketShardEvents.Dispatch, (payload) => dispatches.push(payload));
  return { dispatches, manager };
}

async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('@discordjs/ws against the stand-in', () => {
  it('connects, identifies and receives READY and GUILD_CREATE', async () => {
    const { dispatches, manager: ws } = startManager();
    await ws.connect();
    await waitFor(() => dispatches.some((payload) => payload.t === 'GUILD_CREATE'));
    const ready = dispatches.find((payload) => payload.t === 'READY');
    expect(ready?.d).toMatchObject({ user: { id: world.bot.id }, guilds: [{ id: world.guild.id }] });
    expect(standin.gateway.countIdentifies(world.application.id)).toBe(1);
  });

  it('resumes after the connection drops and receives the missed message once', async () => {
    const { dispatches, manager: ws } = startManager();
    await ws.connect();
    await waitFor(() => dispatches.some((payload) => payload.t === 'GUILD_CREATE'));
    standin.gateway.dropConnections(world.application.id);
    const missed = standin.simulate.messageCreate(world.general.id, { authorId: world.alice.id, content: 'while away' });
    await waitFor(() => dispatches.some((payload) => payload.t === 'RESUMED'), 15_000);
    await waitFor(() => dispatches.some((payload) => payload.t === 'MESSAGE_CREATE'));
    expect(dispatches.filter((payload) => payload.t === 'MESSAGE_CREATE').map((payload) => (payload.d as { id: string }).id)).toEqual([missed.id]);
    expect(standin.gateway.countResumes(world.application.id)).toBe(1);
    expect(standin.gateway.countIdentifies(world.application.id)).toBe(1);
  }, 20_000);
});
