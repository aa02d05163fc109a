import { afterEach, describe, expect, it } from 'vitest';
import { runDiscordStandin, type RunningDiscordStandin } from './run-discord-standin';
import { startInteractionEndpoint } from './interaction-endpoint.test-helper';
import { fetchApi } from './api-test-types';

let running: RunningDiscordStandin | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('runDiscordStandin', () => {
  it('prints the URLs, credentials and env lines a developer needs, and they work', async () => {
    const printed: string[] = [];
    running = await runDiscordStandin({ port: 0, print: (text) => printed.push(text) });
    const { standin, world } = running;
    expect(printed).toEqual([running.summary]);
    for (const line of [
      `DISCORD_API_URL=${standin.apiUrl}`,
      `DISCORD_GATEWAY_URL=${standin.gatewayUrl}`,
      `DISCORD_PUBLIC_KEY=${world.application.public_key}`,
      `DISCORD_BOT_TOKEN=${world.application.bot!.token}`,
    ]) {
      expect(running.summary.split('\n')).toContain(line);
    }
    expect(running.summary).toContain(world.guild.id);
    const gatewayBot = await fetchApi(`${standin.apiUrl}/gateway/bot`, { headers: { Authorization: `Bot ${world.application.bot!.token}` } });
    expect((await gatewayBot.json()).url).toBe(standin.gatewayUrl);
  });

  it('sends a signed PING and a slash command to an endpoint', async () => {
    running = await runDiscordStandin();
    const endpoint = await startInteractionEndpoint(running.world.application.public_key, (received) =>
      received.isSignatureValid ? { status: 200, json: JSON.parse(received.body).type === 1 ? { type: 1 } : { type: 4, data: { content: 'ok' } } } : { status: 401 },
    );
    try {
      expect(await running.sendTestInteraction(endpoint.url)).toMatchObject({ status: 200, body: { type: 1 } });
      const command = await running.sendTestInteraction(endpoint.url, { name: 'hello' });
      expect(command).toMatchObject({ status: 200, isAcknowledged: true });
      expect(JSON.parse(endpoint.received[1]!.body).data).toMatchObject({ name: 'hello', type: 1 });
    } finally {
      await endpoint.close();
    }
  });
});
