import {
  BotParams,
  GuildParams,
  GuildSettingsBody,
  GuildSettingsView,
  SetVariableBody,
  UsageQuery,
  UsageReply,
  VariableDeleted,
  VariableListQuery,
  VariablePage,
  VariableParams,
  VariableQuery,
  VariableView,
} from '@weft/contracts';
import { defineRoute, type RouteDefinition } from '@weft/http';
import type { BotGuildsService } from './bot-guilds.service';
import type { VariablesViewer } from './bot-variables.service';
import { BOTS_URL } from './bots.routes';

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
      query: VariableListQuery,
      response: VariablePage,
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
      body: SetVariableBody,
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
      response: VariableDeleted,
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
      response: GuildSettingsView,
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
      body: GuildSettingsBody,
      response: GuildSettingsView,
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
      query: UsageQuery,
      response: UsageReply,
      handler: ({ params, query, principal, ip }) => guilds.getUsage({ principal: principal!, ip }, params.workspace, params.botId, query.days),
    }),
  ];
}
