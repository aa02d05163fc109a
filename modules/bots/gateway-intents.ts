import { GatewayCloseCodes, GatewayIntentBits as Intent } from 'discord-api-types/v10';
import type { DiscordEventType } from '@weft/engine';
import type { BotStatus } from './bots.tables';

/**
 * Gateway › Gateway Intents: what each event flow needs. GUILDS is always
 * asked for: it carries GUILD_CREATE (guild sync), roles and channels.
 */
const INTENTS_BY_EVENT: Record<DiscordEventType, number> = {
  'member.join': Intent.GuildMembers,
  'member.leave': Intent.GuildMembers,
  // A flow on messages wants their text: MESSAGE_CONTENT (privileged) with GUILD_MESSAGES.
  'message.create': Intent.GuildMessages | Intent.MessageContent,
  'reaction.add': Intent.GuildMessageReactions,
  'reaction.remove': Intent.GuildMessageReactions,
  'role.create': 0,
  'role.update': 0,
  'role.delete': 0,
  'channel.create': 0,
  'channel.update': 0,
  'channel.delete': 0,
  'guild.join': 0,
  'guild.leave': 0,
};

/** Privileged intents and their names in the Developer Portal (Bot › Privileged Gateway Intents). */
const PRIVILEGED: { bit: number; name: string; portalName: string }[] = [
  { bit: Intent.GuildMembers, name: 'GUILD_MEMBERS', portalName: 'Server Members Intent' },
  { bit: Intent.GuildPresences, name: 'GUILD_PRESENCES', portalName: 'Presence Intent' },
  { bit: Intent.MessageContent, name: 'MESSAGE_CONTENT', portalName: 'Message Content Intent' },
];

export function computeIntents(events: Iterable<DiscordEventType>): number {
  let intents: number = Intent.Guilds;
  for (const event of events) intents |= INTENTS_BY_EVENT[event];
  return intents;
}

export function privilegedIntentNames(intents: number): string[] {
  return PRIVILEGED.filter((p) => (intents & p.bit) !== 0).map((p) => p.name);
}

export interface CloseVerdict {
  /** False: Discord will refuse again until someone changes something; stop the bot. */
  isRetryable: boolean;
  status?: BotStatus;
  detail?: string;
}

/**
 * Topics › Opcodes and Status Codes › Gateway Close Event Codes: 4004 and
 * 4010–4014 are never retried; everything else reconnects (and resumes
 * when the session allows it).
 */
export function judgeCloseCode(code: number, intents: number): CloseVerdict {
  switch (code) {
    case GatewayCloseCodes.AuthenticationFailed:
      return { isRetryable: false, status: 'token_invalid', detail: 'Discord refused the bot token (close 4004); reset it in the Developer Portal (Bot › Reset Token) and update the bot' };
    case GatewayCloseCodes.DisallowedIntents: {
      const needed = PRIVILEGED.filter((p) => (intents & p.bit) !== 0).map((p) => p.portalName);
      const names = needed.length > 0 ? needed.join(' and ') : 'the privileged intents';
      return {
        isRetryable: false,
        status: 'intents_missing',
        detail: `Discord refused the privileged intents this bot's event flows need (close 4014): enable ${names} in the Developer Portal (your application › Bot › Privileged Gateway Intents), then start the bot again`,
      };
    }
    case GatewayCloseCodes.InvalidShard:
    case GatewayCloseCodes.ShardingRequired:
    case GatewayCloseCodes.InvalidAPIVersion:
    case GatewayCloseCodes.InvalidIntents:
      return { isRetryable: false, status: 'stopped', detail: `Discord closed the gateway with code ${code} (${GatewayCloseCodes[code] ?? 'unknown'}); it will not be retried` };
    default:
      return { isRetryable: true };
  }
}
