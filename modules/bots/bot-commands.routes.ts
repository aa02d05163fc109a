import { BotItemDeleted, BotParams, CommandBody, CommandList, CommandParams, CommandSyncReport, CommandView } from '@weft/contracts';
import { defineRoute, type RouteDefinition } from '@weft/http';
import type { BotCommandsService } from './bot-commands.service';
import { BOTS_URL } from './bots.routes';

export function createBotCommandRoutes(commands: BotCommandsService): RouteDefinition[] {
  const url = `${BOTS_URL}/:botId/commands`;
  return [
    defineRoute({
      method: 'GET',
      url,
      auth: 'user',
      scope: 'bots:read',
      summary: 'Commands and component handlers of a bot',
      tags: ['bots'],
      params: BotParams,
      response: CommandList,
      handler: async ({ params, principal, ip }) => ({ items: await commands.listCommands({ principal: principal!, ip }, params.workspace, params.botId) }),
    }),
    defineRoute({
      method: 'POST',
      url,
      auth: 'user',
      scope: 'bots:write',
      summary: "Add a command (slash, user, message) or component handler answered by a workflow; Discord's naming rules apply",
      tags: ['bots'],
      params: BotParams,
      body: CommandBody,
      response: CommandView,
      successStatus: 201,
      handler: ({ params, body, principal, ip }) => commands.createCommand({ principal: principal!, ip }, params.workspace, params.botId, body),
    }),
    defineRoute({
      method: 'GET',
      url: `${url}/:commandId`,
      auth: 'user',
      scope: 'bots:read',
      summary: 'A command',
      tags: ['bots'],
      params: CommandParams,
      response: CommandView,
      handler: ({ params, principal, ip }) => commands.getCommand({ principal: principal!, ip }, params.workspace, params.botId, params.commandId),
    }),
    defineRoute({
      method: 'PUT',
      url: `${url}/:commandId`,
      auth: 'user',
      scope: 'bots:write',
      summary: "Replace a command's definition",
      tags: ['bots'],
      params: CommandParams,
      body: CommandBody,
      response: CommandView,
      handler: ({ params, body, principal, ip }) => commands.replaceCommand({ principal: principal!, ip }, params.workspace, params.botId, params.commandId, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${url}/:commandId`,
      auth: 'user',
      scope: 'bots:write',
      summary: 'Delete a command (unregistered from Discord at the next sync)',
      tags: ['bots'],
      params: CommandParams,
      response: BotItemDeleted,
      handler: async ({ params, principal, ip }) => {
        await commands.deleteCommand({ principal: principal!, ip }, params.workspace, params.botId, params.commandId);
        return { deleted: true as const, id: params.commandId };
      },
    }),
    defineRoute({
      method: 'POST',
      url: `${url}/sync`,
      auth: 'user',
      scope: 'bots:write',
      summary: 'Register the commands with Discord: one bulk overwrite per scope whose set changed since the last one',
      tags: ['bots'],
      params: BotParams,
      response: CommandSyncReport,
      handler: ({ params, principal, ip }) => commands.syncCommands({ principal: principal!, ip }, params.workspace, params.botId),
    }),
  ];
}
