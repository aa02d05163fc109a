import { BotItemDeleted, BotParams, CreateEventFlowBody, EventFlowList, EventFlowParams, EventFlowView, SyncedGuildList, UpdateEventFlowBody } from '@weft/contracts';
import { defineRoute, type RouteDefinition } from '@weft/http';
import { BOTS_URL } from './bots.routes';
import type { EventFlowsService } from './event-flows.service';

export function createEventFlowRoutes(flows: EventFlowsService): RouteDefinition[] {
  const url = `${BOTS_URL}/:botId/event-flows`;
  return [
    defineRoute({
      method: 'GET',
      url,
      auth: 'user',
      scope: 'bots:read',
      summary: "The bot's event flows and the gateway intents they need",
      tags: ['bots'],
      params: BotParams,
      response: EventFlowList,
      handler: ({ params, principal, ip }) => flows.listEventFlows({ principal: principal!, ip }, params.workspace, params.botId),
    }),
    defineRoute({
      method: 'POST',
      url,
      auth: 'user',
      scope: 'bots:write',
      summary: 'Start a workflow on a gateway event (a running bot reconnects with the intents it needs)',
      tags: ['bots'],
      params: BotParams,
      body: CreateEventFlowBody,
      response: EventFlowView,
      successStatus: 201,
      handler: ({ params, body, principal, ip }) => flows.createEventFlow({ principal: principal!, ip }, params.workspace, params.botId, body),
    }),
    defineRoute({
      method: 'PATCH',
      url: `${url}/:flowId`,
      auth: 'user',
      scope: 'bots:write',
      summary: 'Change the event, the workflow or whether the flow is enabled',
      tags: ['bots'],
      params: EventFlowParams,
      body: UpdateEventFlowBody,
      response: EventFlowView,
      handler: ({ params, body, principal, ip }) => flows.updateEventFlow({ principal: principal!, ip }, params.workspace, params.botId, params.flowId, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${url}/:flowId`,
      auth: 'user',
      scope: 'bots:write',
      summary: 'Remove an event flow',
      tags: ['bots'],
      params: EventFlowParams,
      response: BotItemDeleted,
      handler: async ({ params, principal, ip }) => {
        await flows.deleteEventFlow({ principal: principal!, ip }, params.workspace, params.botId, params.flowId);
        return { deleted: true as const, id: params.flowId };
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${BOTS_URL}/:botId/guilds`,
      auth: 'user',
      scope: 'bots:read',
      summary: 'The servers the bot is in, with channels and roles synced from the gateway',
      tags: ['bots'],
      params: BotParams,
      response: SyncedGuildList,
      handler: async ({ params, principal, ip }) => ({ items: await flows.listGuilds({ principal: principal!, ip }, params.workspace, params.botId) }),
    }),
  ];
}
