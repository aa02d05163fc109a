import { ApplicationCommandType, InteractionType } from 'discord-api-types/v10';
import { startDiscordStandin, type DiscordStandin } from './discord-standin';
import type { SendInteractionResult } from './interaction-delivery';
import { seedBotWorld, type BotWorld } from './seed-bot-world';

export interface RunDiscordStandinOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Where to print the summary; default: nothing printed (it is returned). */
  print?: (text: string) => void;
  /** Privileged intents to switch on for the seeded application (GatewayIntentBits). */
  privilegedIntents?: number;
  /** HELLO's heartbeat interval; Discord's 41250 ms by default. */
  heartbeatIntervalMs?: number;
}

export interface RunningDiscordStandin {
  standin: DiscordStandin;
  world: BotWorld;
  /** What a developer needs to point a bot at the stand-in, ready to print. */
  summary: string;
  /**
   * Sends a signed interaction to an Interactions Endpoint URL: a PING (what
   * the Developer Portal sends when the URL is saved) or a slash command run
   * by the guild owner in #general.
   */
  sendTestInteraction(url: string, command?: { name: string; options?: unknown[] } | 'ping'): Promise<SendInteractionResult>;
  close(): Promise<void>;
}

/**
 * Starts the Discord stand-in for development (`weft standin discord --port P`):
 * one application with a bot, and a guild with channels, roles and members.
 */
export async function runDiscordStandin(options: RunDiscordStandinOptions = {}): Promise<RunningDiscordStandin> {
  const standin = await startDiscordStandin({
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    gateway: options.heartbeatIntervalMs ? { heartbeatIntervalMs: options.heartbeatIntervalMs } : undefined,
  });
  const world = seedBotWorld(standin.state, { privilegedIntents: options.privilegedIntents });
  const summary = describeWorld(standin, world);
  options.print?.(summary);
  return {
    standin,
    world,
    summary,
    sendTestInteraction: (url, command = 'ping') =>
      standin.sendInteraction(world.application.id, {
        url,
        ...(command === 'ping'
          ? { type: InteractionType.Ping }
          : {
              type: InteractionType.ApplicationCommand,
              guildId: world.guild.id,
              channelId: world.general.id,
              data: { id: standin.state.newSnowflake(), name: command.name, type: ApplicationCommandType.ChatInput, options: command.options ?? [] },
            }),
      }),
    close: () => standin.close(),
  };
}

function describeWorld(standin: DiscordStandin, world: BotWorld): string {
  const { application, guild } = world;
  return [
    'Discord stand-in running (offline; speaks Discord API v10 and gateway v10)',
    `  API URL:          ${standin.apiUrl}`,
    `  Gateway URL:      ${standin.gatewayUrl}/?v=10&encoding=json`,
    `  Application id:   ${application.id}`,
    `  Public key:       ${application.public_key}`,
    `  Bot token:        ${application.bot!.token}`,
    `  Bot user:         ${world.bot.username} (${world.bot.id})`,
    `  Guild:            ${guild.name} (${guild.id})`,
    `  Channels:         #${world.general.name} (${world.general.id}), #${world.modLog.name} (${world.modLog.id})`,
    `  Members:          ${world.owner.username} (owner, ${world.owner.id}), ${world.alice.username} (${world.alice.id}), ${world.bob.username} (${world.bob.id})`,
    '',
    'Environment for the bot under development:',
    `DISCORD_API_URL=${standin.apiUrl}`,
    `DISCORD_GATEWAY_URL=${standin.gatewayUrl}`,
    `DISCORD_APPLICATION_ID=${application.id}`,
    `DISCORD_PUBLIC_KEY=${application.public_key}`,
    `DISCORD_BOT_TOKEN=${application.bot!.token}`,
    '',
    'These credentials are generated for this run and only work against this stand-in.',
  ].join('\n');
}
