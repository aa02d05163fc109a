import { z } from 'zod';
import { defineRoute, PageQuery, type RouteDefinition } from '@weft/http';
import { VARIABLE_SCOPES, VARIABLE_TYPES } from './bot-data.tables';
import type { BotGuildsService } from './bot-guilds.service';
import { VariableKeyName, type VariablesViewer } from './bot-variables.service';
import { BotParams, BOTS_URL, iso } from './bots.routes';

export const Snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (snowflake)');
const VariableView = z.object({ scope: z.enum(VARIABLE_SCOPES), scopeId: z.string().nullable(), key: z.string(), type: z.enum(VARIABLE_TYPES), value: z.unknown(), updatedAt: iso });
const VariableTarget = z.object({ scope: z.enum(VARIABLE_SCOPES), scopeId: Snowflake.optional(), key: VariableKeyName });
const VariableParams = BotParams.extend({ scope: z.enum(VARIABLE_SCOPES), key: VariableKeyName });
const VariableQuery = z.object({ scopeId: Snowflake.optional() });
const GuildParams = BotParams.extend({ guildId: Snowflake });
/** One schema for both editors: workspace members and guild staff (guild-staff.routes.ts). */
export const GuildSettings = z.strictObject({
  enabledFeatures: z.array(z.string().min(1).max(50)).max(50),
  channels: z.record(z.string().min(1).max(50), Snowflake).refine((c) => Object.keys(c).length <= 50, 'at most 50 channels'),
  staffRoleIds: z.array(Snowflake).max(100),
});

export function createBotDataRoutes(viewer: VariablesViewer, guilds: BotGuildsService): RouteDefinition[] {
  const variablesUrl = `${BOTS_URL}/:botId/variables`;
  return [
    defineRoute({
      method: 'GET',
      url: variablesUrl,
      auth: 'user',
      scope: 'bots:read',
      summary: "The bot's stored variables, filtered by scope",
      tags: ['bots'],
      params: BotParams,
      query: PageQuery.extend({ scope: z.enum(VARIABLE_SCOPES).optional(), scopeId: Snowflake.optional() }),
      response: z.object({ items: z.array(VariableView.extend({ id: z.string() })), nextCursor: z.string().nullable() }),
      handler: ({ params, query, principal, ip }) => viewer.listVariables({ principal: principal!, ip }, params.workspace, params.botId, query),
    }),
    defineRoute({
      method: 'GET',
      url: `${variablesUrl}/:scope/:key`,
      auth: 'user',
      scope: 'bots:read',
      summary: 'One variable (scopeId in the query for guild, user and channel variables)',
      tags: ['bots'],
      params: VariableParams,
      query: VariableQuery,
      response: VariableView,
      handler: ({ params, query, principal, ip }) => viewer.getVariable({ principal: principal!, ip }, params.workspace, params.botId, { ...params, ...query }),
    }),
    defineRoute({
      method: 'PUT',
      url: variablesUrl,
      auth: 'user',
      scope: 'bots:write',
      summary: 'Set a variable (within the per-bot limit)',
      tags: ['bots'],
      params: BotParams,
      body: VariableTarget.extend({ type: z.enum(VARIABLE_TYPES).optional(), value: z.unknown() }),
      response: VariableView,
      handler: ({ params, body, principal, ip }) => viewer.setVariable({ principal: principal!, ip }, params.workspace, params.botId, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${variablesUrl}/:scope/:key`,
      auth: 'user',
      scope: 'bots:write',
      summary: 'Delete a variable',
      tags: ['bots'],
      params: VariableParams,
      query: VariableQuery,
      response: z.object({ deleted: z.literal(true) }),
      handler: async ({ params, query, principal, ip }) => {
        await viewer.deleteVariable({ principal: principal!, ip }, params.workspace, params.botId, { ...params, ...query });
        return { deleted: true as const };
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${BOTS_URL}/:botId/guilds/:guildId/settings`,
      auth: 'user',
      scope: 'bots:read',
      summary: "A guild's settings for this bot (defaults when never saved)",
      tags: ['bots'],
      params: GuildParams,
      response: GuildSettings.extend({ guildId: z.string(), updatedAt: iso.nullable() }),
      handler: ({ params, principal, ip }) => guilds.getGuildSettings({ principal: principal!, ip }, params.workspace, params.botId, params.guildId),
    }),
    defineRoute({
      method: 'PUT',
      url: `${BOTS_URL}/:botId/guilds/:guildId/settings`,
      auth: 'user',
      scope: 'bots:write',
      summary: "Replace a guild's settings: enabled features, channels, staff roles",
      tags: ['bots'],
      params: GuildParams,
      body: GuildSettings,
      response: GuildSettings.extend({ guildId: z.string(), updatedAt: iso.nullable() }),
      handler: ({ params, body, principal, ip }) => guilds.putGuildSettings({ principal: principal!, ip }, params.workspace, params.botId, params.guildId, body),
    }),
    defineRoute({
      method: 'GET',
      url: `${BOTS_URL}/:botId/usage`,
      auth: 'user',
      scope: 'bots:read',
      summary: 'Command usage per UTC day',
      tags: ['bots'],
      params: BotParams,
      query: z.object({ days: z.coerce.number().int().min(1).max(400).default(30) }),
      response: z.object({
        from: z.string(),
        items: z.array(z.object({ commandId: z.string(), day: z.string(), invocations: z.number(), failures: z.number(), refusals: z.number() })),
      }),
      handler: ({ params, query, principal, ip }) => guilds.getUsage({ principal: principal!, ip }, params.workspace, params.botId, query.days),
    }),
  ];
}
