import type { REST, RequestMethod } from '@discordjs/rest';
import type { Database } from '@weft/db';
import type { DiscordActions, DiscordRequest } from '@weft/engine';
import { AppError, isUuid, type Logger } from '@weft/kernel';
import { BotErrors } from './bots.errors';
import { botNotFound, TOKEN_CREDENTIAL_TYPE } from './bots.context';
import type { BotTokenVault } from './bots.dependencies';
import { findBotRow } from './bots.repository';
import { splitApiUrl } from './discord-client';
import { isDiscordApiError, isRateLimitError, loadDiscordSdk } from './discord-sdk';
import { markTokenInvalid } from './gateway.repository';
import type { RuntimeLog } from './runtime-log';

/**
 * Routes a workflow may call as its bot: messages, threads, members, roles
 * and bans in channels and guilds, DMs. Not the application's own settings
 * (commands, the bot user) — those go through the bots API, audited.
 */
const BOT_ROUTES = [/^\/channels\/\d{17,20}(\/.*)?$/, /^\/guilds\/\d{17,20}\/(members|bans|roles|channels|threads)(\/.*)?$/, /^\/users\/@me\/channels$/];

export const TOKEN_REFUSED_DETAIL = 'Discord refused the bot token (401) during a flow; reset it in the Developer Portal (Bot › Reset Token) and update the bot';

/**
 * `services.discord` for the runs of one workspace: each call names a bot,
 * which must belong to that workspace; the token is read from the vault and
 * used by @discordjs/rest, which queues per route bucket and waits out 429s.
 * A 401 to the bot token stops the bot and marks it token_invalid.
 */
export function createDiscordActionsProvider(deps: { database: Database; vault: BotTokenVault; apiUrl: string; logger: Logger; runtimeLog: RuntimeLog }) {
  const { api, version } = splitApiUrl(deps.apiUrl);
  // One REST client (and so one set of rate-limit buckets) per bot, replaced when its token changes.
  const clients = new Map<string, { token: string; rest: REST }>();

  async function restFor(botId: string, token: string): Promise<REST> {
    const current = clients.get(botId);
    if (current?.token === token) return current.rest;
    const { REST } = (await loadDiscordSdk()).rest;
    const latest = clients.get(botId); // a concurrent first call may have made one meanwhile
    if (latest?.token === token) return latest.rest;
    const rest = new REST({ api, version, timeout: 15_000, retries: 2, hashSweepInterval: 0, handlerSweepInterval: 0 }).setToken(token);
    clients.set(botId, { token, rest });
    return rest;
  }

  function checkRoute(request: DiscordRequest, applicationId: string): void {
    const path = request.route.split('?')[0]!;
    const isAllowed = request.useBotToken === false ? path.startsWith(`/webhooks/${applicationId}/`) : BOT_ROUTES.some((pattern) => pattern.test(path));
    if (!isAllowed) throw new AppError(BotErrors.BOT_DISCORD_ROUTE_FORBIDDEN, `Flows cannot call ${request.method} ${path} as a bot`, { route: path });
  }

  return {
    forWorkspace(workspaceId: string): DiscordActions {
      return {
        async request(request) {
          const bot = isUuid(request.botId) ? await findBotRow(deps.database.db, workspaceId, request.botId) : undefined;
          if (!bot) throw botNotFound(request.botId);
          checkRoute(request, bot.applicationId);
          const credential = await deps.vault.loadCredentialForRun({ workspaceId, credentialId: bot.credentialId, expectedType: TOKEN_CREDENTIAL_TYPE });
          const rest = await restFor(bot.id, String(credential.fields.token));
          const useBotToken = request.useBotToken !== false;
          try {
            return await rest.request({
              method: request.method as RequestMethod,
              fullRoute: request.route as `/${string}`,
              ...(request.body === undefined ? {} : { body: request.body }),
              ...(request.reason ? { reason: request.reason } : {}),
              auth: useBotToken,
              ...(request.signal ? { signal: request.signal } : {}),
            });
          } catch (error) {
            if (isDiscordApiError(error) && error.status === 401 && useBotToken) {
              await markTokenInvalid(deps.database.db, bot.id, TOKEN_REFUSED_DETAIL);
              deps.runtimeLog.record(bot.id, 'error', TOKEN_REFUSED_DETAIL, { status: 'token_invalid' });
              throw new AppError(BotErrors.BOT_TOKEN_INVALID, TOKEN_REFUSED_DETAIL);
            }
            if (isDiscordApiError(error) && error.status >= 400 && error.status < 500) {
              throw new AppError(BotErrors.BOT_DISCORD_REJECTED, `Discord refused ${request.method} ${request.route.split('?')[0]}: ${error.message}`, { status: error.status, code: error.code });
            }
            if (isRateLimitError(error)) throw new AppError(BotErrors.BOT_DISCORD_UNAVAILABLE, 'Discord rate limit; try again later', { retryAfterMs: error.retryAfter });
            deps.logger.warn({ err: error, botId: bot.id }, 'Discord action failed');
            throw new AppError(BotErrors.BOT_DISCORD_UNAVAILABLE, 'Discord could not be reached; the step can be retried');
          }
        },
      };
    },
  };
}
