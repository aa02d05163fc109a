import { z } from 'zod';
import { DISCORD_EVENT_TYPES } from '@weft/engine';
import { defineRoute, type RouteDefinition } from '@weft/http';
import { BOTS_URL, BotParams, iso } from './bots.routes';
import type { EventFlowsService } from './event-flows.service';

const EventFlow = z.object({
  id: z.string(),
  botId: z.string(),
  event: z.enum(DISCORD_EVENT_TYPES),
  workflowId: z.string(),
  isEnabled: z.boolean(),
  createdAt: iso,
  updatedAt: iso,
});
const FlowParams = BotParams.extend({ flowId: z.string().min(1).max(100) });
const FlowBody = z.strictObject({ event: z.enum(DISCORD_EVENT_TYPES), workflowId: z.uuid(), isEnabled: z.boolean().optional() });

export const SyncedGuild = z.object({
  guildId: z.string(),
  name: z.string(),
  icon: z.string().nullable(),
  ownerId: z.string().nullable(),
  channels: z.array(z.object({ id: z.string(), name: z.string().nullable(), type: z.number(), parentId: z.string().nullable(), position: z.number().nullable() })),
  roles: z.array(z.object({ id: z.string(), name: z.string(), permissions: z.string(), position: z.number(), isManaged: z.boolean() })),
  joinedAt: iso,
  syncedAt: iso,
});

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
      response: z.object({ items: z.array(EventFlow), intents: z.object({ bits: z.number(), privileged: z.array(z.string()) }) }),
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
      body: FlowBody,
      response: EventFlow,
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
      params: FlowParams,
      body: FlowBody.partial(),
      response: EventFlow,
      handler: ({ params, body, principal, ip }) => flows.updateEventFlow({ principal: principal!, ip }, params.workspace, params.botId, params.flowId, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${url}/:flowId`,
      auth: 'user',
      scope: 'bots:write',
      summary: 'Remove an event flow',
      tags: ['bots'],
      params: FlowParams,
      response: z.object({ deleted: z.literal(true), id: z.string() }),
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
      response: z.object({ items: z.array(SyncedGuild) }),
      handler: async ({ params, principal, ip }) => ({ items: await flows.listGuilds({ principal: principal!, ip }, params.workspace, params.botId) }),
    }),
  ];
}
