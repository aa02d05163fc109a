import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GatewayCloseCodes, GatewayIntentBits as Intent, GatewayOpcodes } from 'discord-api-types/v10';
import { startDiscordStandin, type DiscordStandin } from '../discord-standin';
import { seedBotWorld, type BotWorld } from '../seed-bot-world';
import { GatewayTestClient } from './gateway-test-client';

let standin: DiscordStandin;
let world: BotWorld;
let token: string;
const clients: GatewayTestClient[] = [];
const INTENTS = Intent.Guilds | Intent.GuildMessages;

beforeEach(async () => {
  standin = await startDiscordStandin();
  world = seedBotWorld(standin.state);
  token = world.application.bot!.token;
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await standin.close();
});

async function connect(): Promise<GatewayTestClient> {
  const client = await GatewayTestClient.connect(standin.gatewayUrl);
  clients.push(client);
  await client.next((frame) => frame.op === GatewayOpcodes.Hello);
  return client;
}

async function identify(): Promise<{ client: GatewayTestClient; sessionId: string }> {
  const client = await connect();
  client.identify(token, INTENTS);
  const ready = await client.dispatch('READY');
  await client.dispatch('GUILD_CREATE');
  return { client, sessionId: (ready.d as { session_id: string }).session_id };
}

function resume(client: GatewayTestClient, sessionId: string, seq: number | null): void {
  client.send(GatewayOpcodes.Resume, { token, session_id: sessionId, seq });
}

/** A message by Alice; its id identifies it on the wire, where content is hidden without MESSAGE_CONTENT. */
function say(content: string): string {
  return standin.simulate.messageCreate(world.general.id, { authorId: world.alice.id, content }).id;
}

function messageIds(client: GatewayTestClient): string[] {
  return client.dispatches('MESSAGE_CREATE').map((frame) => (frame.d as { id: string }).id);
}

describe('RESUME', () => {
  it('replays the dispatches missed after a drop exactly once, then RESUMED', async () => {
    const { client: first, sessionId } = await identify();
    say('one');
    await first.dispatch('MESSAGE_CREATE');
    const lastSeen = first.lastSeq()!;
    expect(standin.gateway.dropConnections(world.application.id)).toBe(1);
    await first.closed;
    const missed = [say('two'), say('three')];

    const second = await connect();
    resume(second, sessionId, lastSeen);
    await second.dispatch('RESUMED');
    const after = say('four');
    await second.next((frame) => (frame.d as { id?: string } | null)?.id === after);

    const seen = [...first.dispatches(), ...second.dispatches()].map((frame) => frame.s);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort((a, b) => a! - b!));
    expect(messageIds(second)).toEqual([...missed, after]);
    const [session] = standin.gateway.listSessions(world.application.id);
    const replayed = session!.deliveries.filter((delivery) => delivery.isReplay);
    expect(replayed.map((delivery) => delivery.seq)).toEqual([lastSeen + 1, lastSeen + 2]);
    expect(standin.gateway.countResumes(world.application.id)).toBe(1);
    expect(standin.gateway.countIdentifies(world.application.id)).toBe(1);
  });

  it('answers an unknown session with op 9 d=false', async () => {
    const client = await connect();
    resume(client, 'no-such-session', 3);
    expect(await client.next((frame) => frame.op === GatewayOpcodes.InvalidSession)).toMatchObject({ d: false });
  });

  it('does not resume a session the client closed with 1000', async () => {
    const { client, sessionId } = await identify();
    client.close(1000);
    await client.closed;
    const next = await connect();
    resume(next, sessionId, 2);
    expect(await next.next((frame) => frame.op === GatewayOpcodes.InvalidSession)).toMatchObject({ d: false });
  });

  it('closes with 4007 for a sequence number beyond the session', async () => {
    const { client, sessionId } = await identify();
    client.socket.terminate();
    const next = await connect();
    resume(next, sessionId, 99);
    expect((await next.closed).code).toBe(GatewayCloseCodes.InvalidSeq);
  });

  it('closes with 4004 when resuming with a revoked token', async () => {
    const { client, sessionId } = await identify();
    client.socket.terminate();
    standin.state.revokeBotToken(world.application.id);
    const next = await connect();
    resume(next, sessionId, 2);
    expect((await next.closed).code).toBe(GatewayCloseCodes.AuthenticationFailed);
  });

  it('keeps a session resumable after a 4000 close and after op 7 RECONNECT', async () => {
    const { client, sessionId } = await identify();
    standin.gateway.requestReconnect(world.application.id);
    await client.next((frame) => frame.op === GatewayOpcodes.Reconnect);
    standin.gateway.closeSessions(world.application.id, GatewayCloseCodes.UnknownError);
    expect((await client.closed).code).toBe(GatewayCloseCodes.UnknownError);
    const next = await connect();
    resume(next, sessionId, client.lastSeq());
    await next.dispatch('RESUMED');
    expect(standin.gateway.countConnectedSessions(world.application.id)).toBe(1);
  });
});
