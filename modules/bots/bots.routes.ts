import { z } from 'zod';
import { defineRoute, PageQuery, type RouteDefinition } from '@weft/http';
import { EVENT_LEVELS } from './bot-data.tables';
import { BOT_DESIRED_STATES, BOT_STATUSES } from './bots.tables';
import type { BotsService } from './bots.service';
import { BOT_FEATURES } from './invite-url';

export const iso = z.date().transform((date) => date.toISOString());
export const WorkspaceParams = z.object({ workspace: z.string().min(1).max(100) });
export const BotParams = WorkspaceParams.extend({ botId: z.uuid() });
export const BOTS_URL = '/api/v1/workspaces/:workspace/bots';

/** The only shape a bot leaves the API in: no token, no credential id (the route strips undeclared keys). */
const BotView = z.object({
  id: z.string(),
  workspaceId: z.string(),
  applicationId: z.string(),
  publicKey: z.string(),
  botUser: z.object({ id: z.string(), name: z.string(), avatar: z.string().nullable() }),
  features: z.array(z.string()),
  desiredState: z.enum(BOT_DESIRED_STATES),
  status: z.enum(BOT_STATUSES),
  statusDetail: z.string().nullable(),
  interactionsUrl: z.string(),
  createdAt: iso,
  updatedAt: iso,
});

const Snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (snowflake)');
const PublicKey = z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be the 64 hex digits of the Ed25519 public key');
const Token = z.string().min(20).max(200).regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, 'must be a bot token (three dot-separated parts)');
const Features = z.array(z.enum(BOT_FEATURES)).max(BOT_FEATURES.length);

const RuntimeEvent = z.object({ id: z.string(), at: iso, level: z.enum(EVENT_LEVELS), message: z.string(), details: z.unknown() });

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
      body: z.strictObject({ applicationId: Snowflake, publicKey: PublicKey, token: Token, features: Features.optional() }),
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
      response: z.object({ items: z.array(BotView) }),
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
      body: z.strictObject({ publicKey: PublicKey.optional(), token: Token.optional(), features: Features.optional() }),
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
      response: z.object({ deleted: z.literal(true), id: z.string() }),
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
      response: z.object({ url: z.string(), permissions: z.string() }),
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
      response: z.object({ items: z.array(RuntimeEvent), nextCursor: z.string().nullable() }),
      handler: ({ params, query, principal, ip }) =>
        bots.listRuntimeEvents({ principal: principal!, ip }, params.workspace, params.botId, { limit: query.limit, ...(query.cursor && /^[0-9a-f-]{36}$/.test(query.cursor) ? { before: query.cursor } : {}) }),
    }),
  ];
}
