import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { DiscordRouter, RouteReply, RouteRequest } from './discord-router';
import { replyDiscordError, replyJson } from './discord-replies';
import type { DiscordState } from './discord-state';
import type { CommandScope } from './command-store';
import { asCommandBody, validateCommand, validateCommandList } from './command-validation';
import {
  authenticateBot,
  isReply,
  parseJsonBody,
  replyInvalidForm,
  replyNoContent,
  replyUnknown,
  requireGuildOfBot,
} from './route-guards';

const GLOBAL = '/applications/:applicationId/commands';
const GUILD = '/applications/:applicationId/guilds/:guildId/commands';

/**
 * Interactions › Application Commands: list, create, edit, delete and bulk
 * overwrite, globally and per guild. Bulk overwrites are counted per scope so
 * tests can check that a client does not re-register an unchanged set.
 */
export function registerApplicationCommandRoutes(router: DiscordRouter, state: DiscordState): void {
  for (const base of [GLOBAL, GUILD]) {
    router.add(
      { method: 'GET', path: base, reply: (request) => withScope(request, state, (scope) => replyJson(state.commands.list(scope))) },
      { method: 'PUT', path: base, reply: (request) => withScope(request, state, (scope) => overwriteCommands(request, state, scope)) },
      { method: 'POST', path: base, reply: (request) => withScope(request, state, (scope) => createCommand(request, state, scope)) },
      {
        method: 'GET',
        path: `${base}/:commandId`,
        reply: (request) =>
          withScope(request, state, (scope) => {
            const command = state.commands.find(scope, request.params.commandId!);
            return command ? replyJson(command) : replyUnknown(RESTJSONErrorCodes.UnknownApplicationCommand);
          }),
      },
      { method: 'PATCH', path: `${base}/:commandId`, reply: (request) => withScope(request, state, (scope) => editCommand(request, state, scope)) },
      {
        method: 'DELETE',
        path: `${base}/:commandId`,
        reply: (request) =>
          withScope(request, state, (scope) =>
            state.commands.delete(scope, request.params.commandId!) ? replyNoContent() : replyUnknown(RESTJSONErrorCodes.UnknownApplicationCommand),
          ),
      },
    );
  }
}

/** The bot token must belong to the application; a guild scope needs the bot in that guild. */
function withScope(request: RouteRequest, state: DiscordState, reply: (scope: CommandScope) => RouteReply): RouteReply {
  const caller = authenticateBot(request, state);
  if (isReply(caller)) return caller;
  const { applicationId, guildId } = request.params;
  if (!state.findApplication(applicationId!)) return replyUnknown(RESTJSONErrorCodes.UnknownApplication);
  if (caller.application.id !== applicationId) {
    return replyDiscordError(403, RESTJSONErrorCodes.NotAuthorizedToPerformThisActionOnThisApplication, 'You are not authorized to perform this action on this application');
  }
  if (guildId !== undefined) {
    const guild = requireGuildOfBot(state, guildId, caller.bot);
    if (isReply(guild)) return guild;
  }
  return reply({ applicationId: applicationId!, ...(guildId ? { guildId } : {}) });
}

function overwriteCommands(request: RouteRequest, state: DiscordState, scope: CommandScope): RouteReply {
  const body = parseJsonBody(request);
  if ('reply' in body) return body.reply;
  const errors = validateCommandList(body.value);
  if (Object.keys(errors).length > 0) return replyInvalidForm(errors);
  return replyJson(state.commands.overwrite(scope, (body.value as unknown[]).map(asCommandBody)));
}

function createCommand(request: RouteRequest, state: DiscordState, scope: CommandScope): RouteReply {
  const body = parseJsonBody(request);
  if ('reply' in body) return body.reply;
  const errors = validateCommand(body.value);
  if (Object.keys(errors).length > 0) return replyInvalidForm(errors);
  const { command, isNew } = state.commands.upsert(scope, asCommandBody(body.value));
  return replyJson(command, isNew ? 201 : 200);
}

function editCommand(request: RouteRequest, state: DiscordState, scope: CommandScope): RouteReply {
  const body = parseJsonBody(request);
  if ('reply' in body) return body.reply;
  const existing = state.commands.find(scope, request.params.commandId!);
  if (!existing) return replyUnknown(RESTJSONErrorCodes.UnknownApplicationCommand);
  const errors = validateCommand({ type: existing.type, ...(body.value as object) }, '', true);
  if (Object.keys(errors).length > 0) return replyInvalidForm(errors);
  return replyJson(state.commands.edit(scope, existing.id, asCommandBody(body.value)));
}
