import type { REST } from '@discordjs/rest';
import { Routes, type APIUser, type RESTPutAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { AppError } from '@weft/kernel';
import { BotErrors } from './bots.errors';
import { isDiscordApiError, loadDiscordSdk } from './discord-sdk';

export interface DiscordClientOptions {
  /** `DISCORD_API_URL`, e.g. `https://discord.com/api/v10` or the stand-in's `apiUrl`. */
  apiUrl: string;
  timeoutMs?: number;
}

export interface BotUser {
  id: string;
  username: string;
  avatar: string | null;
}

/** `https://discord.com/api/v10` → @discordjs/rest's `api` (without version) and `version`. */
export function splitApiUrl(apiUrl: string): { api: string; version: string } {
  const match = /^(.*?)\/v(\d+)\/?$/.exec(apiUrl);
  return match ? { api: match[1]!, version: match[2]! } : { api: apiUrl.replace(/\/$/, ''), version: '10' };
}

/**
 * Discord's REST API through @discordjs/rest, which queues per route bucket
 * and honours 429 `retry_after` (Topics › Rate Limits). One client per bot
 * token, kept while the token is current; the token never leaves this file
 * except in the Authorization header.
 */
export function createDiscordClient(options: DiscordClientOptions) {
  const { api, version } = splitApiUrl(options.apiUrl);
  const timeout = options.timeoutMs ?? 10_000;
  // Sweepers are timers; clients here are few and replaced on token change.
  const makeRest = async () => new (await loadDiscordSdk()).rest.REST({ api, version, timeout, retries: 1, hashSweepInterval: 0, handlerSweepInterval: 0 });
  let webhookRest: Promise<REST> | undefined;
  const botRests = new Map<string, REST>();

  async function restForToken(token: string): Promise<REST> {
    const known = botRests.get(token);
    if (known) return known;
    const rest = (await makeRest()).setToken(token);
    const madeMeanwhile = botRests.get(token); // by a concurrent first call
    if (madeMeanwhile) return madeMeanwhile;
    if (botRests.size >= 1000) botRests.delete(botRests.keys().next().value!);
    botRests.set(token, rest);
    return rest;
  }

  function toAppError(error: unknown, action: string): AppError {
    if (isDiscordApiError(error) && error.status === 401) {
      return new AppError(BotErrors.BOT_TOKEN_INVALID, 'Discord refused the bot token; copy it again from the Developer Portal (Bot › Reset Token)');
    }
    if (isDiscordApiError(error) && error.status >= 400 && error.status < 500) {
      // Discord's own message explains what is wrong with the payload; it never holds the token.
      return new AppError(BotErrors.BOT_DISCORD_REJECTED, `Discord refused to ${action}: ${error.message}`, { status: error.status, code: error.code });
    }
    return new AppError(BotErrors.BOT_DISCORD_UNAVAILABLE, `Discord could not be reached to ${action}; try again`);
  }

  return {
    /** GET /users/@me with the bot token: proves the token and names the bot user. */
    async fetchBotUser(token: string): Promise<BotUser> {
      const rest = (await makeRest()).setToken(token);
      try {
        // Literal `@me`: discord-api-types' Routes.user('@me') percent-encodes it, which the stand-in does not decode yet.
        const user = (await rest.get('/users/@me')) as APIUser;
        return { id: user.id, username: user.username, avatar: user.avatar ?? null };
      } catch (error) {
        throw toAppError(error, 'check the bot token');
      }
    },

    /** Bulk overwrite (PUT) of a scope's commands: Interactions › Application Commands › Bulk Overwrite. */
    async overwriteCommands(token: string, applicationId: string, scope: string, commands: RESTPutAPIApplicationCommandsJSONBody): Promise<void> {
      const route = scope === 'global' ? Routes.applicationCommands(applicationId) : Routes.applicationGuildCommands(applicationId, scope);
      try {
        await (await restForToken(token)).put(route, { body: commands });
      } catch (error) {
        throw toAppError(error, 'register the commands');
      }
    },

    /** PATCH /webhooks/{app}/{token}/messages/@original: completes a deferred reply (interaction token auth, no bot token). */
    async editOriginalResponse(applicationId: string, interactionToken: string, body: Record<string, unknown>): Promise<void> {
      webhookRest ??= makeRest();
      await (await webhookRest).patch(`/webhooks/${applicationId}/${encodeURIComponent(interactionToken)}/messages/@original`, { body, auth: false });
    },

    /** Forgets the client of a replaced or deleted token. */
    forgetToken(token: string): void {
      botRests.delete(token);
    },
  };
}

export type DiscordClient = ReturnType<typeof createDiscordClient>;
