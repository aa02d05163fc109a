import type { RESTGetAPIGatewayBotResult, RESTGetAPIGatewayResult } from 'discord-api-types/v10';
import type { DiscordRouter } from './discord-router';
import { replyJson } from './discord-replies';
import type { DiscordState } from './discord-state';
import type { StandinGateway } from './gateway/standin-gateway';
import { authenticateBot, isReply } from './route-guards';

/** Discord's recommendation: one shard per 1,000 guilds (Topics › Gateway › Get Gateway Bot). */
const GUILDS_PER_RECOMMENDED_SHARD = 1000;

/** Topics › Gateway › Get Gateway and Get Gateway Bot: where to connect, and the IDENTIFY budget. */
export function registerGatewayRoutes(router: DiscordRouter, state: DiscordState, gateway: StandinGateway): void {
  router.add(
    {
      method: 'GET',
      path: '/gateway',
      reply: () => replyJson({ url: gateway.url } satisfies RESTGetAPIGatewayResult),
    },
    {
      method: 'GET',
      path: '/gateway/bot',
      reply: (request) => {
        const caller = authenticateBot(request, state);
        if (isReply(caller)) return caller;
        const guildCount = state.listMemberships(caller.bot.id).length;
        const result: RESTGetAPIGatewayBotResult = {
          url: gateway.url,
          shards: Math.max(1, Math.ceil(guildCount / GUILDS_PER_RECOMMENDED_SHARD)),
          session_start_limit: gateway.sessionStartLimit(caller.application.id),
        };
        return replyJson(result);
      },
    },
  );
}
