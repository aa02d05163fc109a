import { BotItemDeleted, BotList, BotParams, BotView, ConnectBotBody, InviteUrlReply, PageQuery, RuntimeEventPage, UpdateBotBody, WorkspaceParams } from '@weft/contracts';
import { defineRoute, type RouteDefinition } from '@weft/http';
import type { BotsService } from './bots.service';

export const BOTS_URL = '/api/v1/workspaces/:workspace/bots';

export function createBotRoutes(bots: BotsService): RouteDefinition[] {
  return [
    defineRoute({
      method: 'POST',
      url: BOTS_URL,
      auth: 'user',
      scope: 'bots:write',
      summary: 'Connect a Discord bot; the token is checked with Discord, stored encrypted and never returned',
      tags: ['bots'],
      params: WorkspaceParams,
      body: ConnectBotBody,
      response: BotView,
      successStatus: 201,
      handler: ({ params, body, principal, ip }) => bots.createBot({ principal: principal!, ip }, params.workspace, body),
    }),
    defineRoute({
      method: 'GET',
      url: BOTS_URL,
      auth: 'user',
      scope: 'bots:read',
      summary: "The workspace's bots",
      tags: ['bots'],
      params: WorkspaceParams,
      response: BotList,
      handler: async ({ params, principal, ip }) => ({ items: await bots.listBots({ principal: principal!, ip }, params.workspace) }),
    }),
    defineRoute({
      method: 'GET',
      url: `${BOTS_URL}/:botId`,
      auth: 'user',
      scope: 'bots:read',
      summary: 'A bot with its status',
      tags: ['bots'],
      params: BotParams,
      response: BotView,
      handler: ({ params, principal, ip }) => bots.getBot({ principal: principal!, ip }, params.workspace, params.botId),
    }),
    defineRoute({
      method: 'PATCH',
      url: `${BOTS_URL}/:botId`,
      auth: 'user',
      scope: 'bots:write',
      summary: 'Replace the token (checked with Discord) or public key, or change the features',
      tags: ['bots'],
      params: BotParams,
      body: UpdateBotBody,
      response: BotView,
      handler: ({ params, body, principal, ip }) => bots.updateBot({ principal: principal!, ip }, params.workspace, params.botId, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${BOTS_URL}/:botId`,
      auth: 'user',
      scope: 'bots:write',
      summary: 'Disconnect a bot: its commands, data and token are deleted',
      tags: ['bots'],
      params: BotParams,
      response: BotItemDeleted,
      handler: async ({ params, principal, ip }) => {
        await bots.deleteBot({ principal: principal!, ip }, params.workspace, params.botId);
        return { deleted: true as const, id: params.botId };
      },
    }),
    ...(['start', 'stop'] as const).map((action) =>
      defineRoute({
        method: 'POST',
        url: `${BOTS_URL}/:botId/${action}`,
        auth: 'user',
        scope: 'bots:write',
        summary: action === 'start' ? 'Start the bot (the token is checked again)' : 'Stop the bot',
        tags: ['bots'],
        params: BotParams,
        response: BotView,
        handler: ({ params, principal, ip }) => bots.setDesiredState({ principal: principal!, ip }, params.workspace, params.botId, action === 'start' ? 'running' : 'stopped'),
      }),
    ),
    defineRoute({
      method: 'GET',
      url: `${BOTS_URL}/:botId/invite-url`,
      auth: 'user',
      scope: 'bots:read',
      summary: 'The OAuth2 URL that adds the bot to a guild with the permissions its commands and features need',
      tags: ['bots'],
      params: BotParams,
      response: InviteUrlReply,
      handler: ({ params, principal, ip }) => bots.getInviteUrl({ principal: principal!, ip }, params.workspace, params.botId),
    }),
    defineRoute({
      method: 'GET',
      url: `${BOTS_URL}/:botId/events`,
      auth: 'user',
      scope: 'bots:read',
      summary: 'The runtime log of the bot, newest first',
      tags: ['bots'],
      params: BotParams,
      query: PageQuery,
      response: RuntimeEventPage,
      handler: ({ params, query, principal, ip }) =>
        bots.listRuntimeEvents({ principal: principal!, ip }, params.workspace, params.botId, { limit: query.limit, ...(query.cursor && /^[0-9a-f-]{36}$/.test(query.cursor) ? { before: query.cursor } : {}) }),
    }),
  ];
}
