import { ChannelType, PermissionFlagsBits, RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { DiscordRouter, RouteReply, RouteRequest } from './discord-router';
import { replyDiscordError, replyJson } from './discord-replies';
import type { DiscordState } from './discord-state';
import type { StandinChannel } from './guild-entities';
import { toApiChannel } from './guild-payloads';
import { readMessageFields } from './message-body';
import {
  authenticateBot,
  hasPermission,
  isRecord,
  isReply,
  parseJsonBody,
  replyInvalidForm,
  replyMissingPermissions,
  replyNoContent,
  replyRequired,
  replyUnknown,
  requireChannelOfBot,
  type BotCaller,
} from './route-guards';

const THREAD_ARCHIVE_MINUTES = [60, 1440, 4320, 10080];

/**
 * Resources › Message (create, edit, delete, get) and Resources › Channel
 * (get, Start Thread from Message), and Users › Create DM. Permission
 * overwrites are not modelled: a bot's guild-wide permissions decide.
 */
export function registerChannelRoutes(router: DiscordRouter, state: DiscordState): void {
  const inChannel = (reply: (request: RouteRequest, caller: BotCaller, channel: StandinChannel) => RouteReply) => (request: RouteRequest) => {
    const caller = authenticateBot(request, state);
    if (isReply(caller)) return caller;
    const channel = requireChannelOfBot(state, request.params.channelId!, caller.bot);
    return isReply(channel) ? channel : reply(request, caller, channel);
  };
  router.add(
    { method: 'GET', path: '/channels/:channelId', reply: inChannel((_r, _c, channel) => replyJson(toApiChannel(channel, (id) => state.findUser(id)))) },
    { method: 'GET', path: '/channels/:channelId/messages', reply: inChannel((request, _c, channel) => listMessages(request, state, channel)) },
    { method: 'POST', path: '/channels/:channelId/messages', reply: inChannel((request, caller, channel) => createMessage(request, state, caller, channel)) },
    { method: 'GET', path: '/channels/:channelId/messages/:messageId', reply: inChannel((request, _c, channel) => withMessage(request, state, channel, (m) => replyJson(state.messages.toPayload(m)))) },
    { method: 'PATCH', path: '/channels/:channelId/messages/:messageId', reply: inChannel((request, caller, channel) => editMessage(request, state, caller, channel)) },
    { method: 'DELETE', path: '/channels/:channelId/messages/:messageId', reply: inChannel((request, caller, channel) => deleteMessage(request, state, caller, channel)) },
    { method: 'POST', path: '/channels/:channelId/messages/:messageId/threads', reply: inChannel((request, caller, channel) => startThread(request, state, caller, channel)) },
    { method: 'POST', path: '/users/@me/channels', reply: (request) => openDm(request, state) },
  );
}

function withMessage(request: RouteRequest, state: DiscordState, channel: StandinChannel, reply: (message: NonNullable<ReturnType<DiscordState['messages']['find']>>) => RouteReply): RouteReply {
  const message = state.messages.find(channel.id, request.params.messageId!);
  return message ? reply(message) : replyUnknown(RESTJSONErrorCodes.UnknownMessage);
}

/** Newest first, `limit` 1–100 (default 50), as Get Channel Messages pages. */
function listMessages(request: RouteRequest, state: DiscordState, channel: StandinChannel): RouteReply {
  const limit = Number(request.query.get('limit') ?? 50);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return replyInvalidForm({ limit: { code: 'NUMBER_TYPE_MAX', message: 'int value should be between 1 and 100.' } });
  const messages = state.messages.list(channel.id).reverse().slice(0, limit);
  return replyJson(messages.map((message) => state.messages.toPayload(message)));
}

function createMessage(request: RouteRequest, state: DiscordState, caller: BotCaller, channel: StandinChannel): RouteReply {
  if (channel.guild_id && !hasPermission(state, channel.guild_id, caller.bot.id, PermissionFlagsBits.SendMessages)) return replyMissingPermissions();
  const body = parseJsonBody(request);
  if ('reply' in body) return body.reply;
  const fields = readMessageFields(body.value, true);
  if ('status' in fields) return fields;
  const reference = fields.message_reference;
  if (reference?.message_id && !state.messages.find(reference.channel_id ?? channel.id, reference.message_id)) {
    return replyInvalidForm({ 'message_reference': { code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' } });
  }
  const message = state.messages.create(channel, { ...fields, author_id: caller.bot.id });
  return replyJson(state.messages.toPayload(message));
}

/** Only the author may change content; others may only toggle flags (Resources › Message › Edit Message). */
function editMessage(request: RouteRequest, state: DiscordState, caller: BotCaller, channel: StandinChannel): RouteReply {
  return withMessage(request, state, channel, (message) => {
    const body = parseJsonBody(request);
    if ('reply' in body) return body.reply;
    const fields = readMessageFields(body.value, false);
    if ('status' in fields) return fields;
    if (message.author_id !== caller.bot.id) {
      return replyDiscordError(403, RESTJSONErrorCodes.CannotEditMessageAuthoredByAnotherUser, 'Cannot edit a message authored by another user');
    }
    return replyJson(state.messages.toPayload(state.messages.update(channel, message, fields)));
  });
}

/** Others' messages need MANAGE_MESSAGES. */
function deleteMessage(request: RouteRequest, state: DiscordState, caller: BotCaller, channel: StandinChannel): RouteReply {
  return withMessage(request, state, channel, (message) => {
    const isOwn = message.author_id === caller.bot.id;
    if (!isOwn && channel.guild_id && !hasPermission(state, channel.guild_id, caller.bot.id, PermissionFlagsBits.ManageMessages)) {
      return replyMissingPermissions();
    }
    if (!isOwn && !channel.guild_id) return replyMissingPermissions();
    state.messages.delete(channel, message);
    return replyNoContent();
  });
}

/** Start Thread from Message: the thread's id is the message's id; one thread per message. */
function startThread(request: RouteRequest, state: DiscordState, caller: BotCaller, channel: StandinChannel): RouteReply {
  return withMessage(request, state, channel, (message) => {
    if (!channel.guild_id || ![ChannelType.GuildText, ChannelType.GuildAnnouncement].includes(channel.type)) {
      return replyDiscordError(400, RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType, 'Cannot execute action on this channel type');
    }
    if (!hasPermission(state, channel.guild_id, caller.bot.id, PermissionFlagsBits.CreatePublicThreads)) return replyMissingPermissions();
    const body = parseJsonBody(request);
    if ('reply' in body) return body.reply;
    const value = isRecord(body.value) ? body.value : {};
    if (typeof value.name !== 'string' || value.name.length < 1 || value.name.length > 100) return replyRequired('name');
    const archive = value.auto_archive_duration ?? 1440;
    if (!THREAD_ARCHIVE_MINUTES.includes(archive as number)) {
      return replyInvalidForm({ auto_archive_duration: { code: 'BASE_TYPE_CHOICES', message: 'Value must be one of {60, 1440, 4320, 10080}.' } });
    }
    if (message.thread_id) return replyDiscordError(400, RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage, 'A thread has already been created for this message');
    const thread = state.guildStore.addChannel(channel.guild_id, {
      id: message.id,
      name: value.name,
      type: channel.type === ChannelType.GuildAnnouncement ? ChannelType.AnnouncementThread : ChannelType.PublicThread,
      parent_id: channel.id,
      owner_id: caller.bot.id,
      auto_archive_duration: archive as number,
    });
    message.thread_id = thread.id;
    return replyJson(toApiChannel(thread), 201);
  });
}

/** Users › Create DM: the same channel every time for one recipient. */
function openDm(request: RouteRequest, state: DiscordState): RouteReply {
  const caller = authenticateBot(request, state);
  if (isReply(caller)) return caller;
  const body = parseJsonBody(request);
  if ('reply' in body) return body.reply;
  const recipientId = isRecord(body.value) ? body.value.recipient_id : undefined;
  if (typeof recipientId !== 'string') return replyRequired('recipient_id');
  const recipient = state.findUser(recipientId);
  if (!recipient || recipient.bot) return replyDiscordError(400, RESTJSONErrorCodes.InvalidRecipients, 'Invalid Recipient(s)');
  const channel = state.guildStore.openDmChannel(caller.bot.id, recipient.id);
  return replyJson(toApiChannel(channel, (id) => state.findUser(id)));
}
