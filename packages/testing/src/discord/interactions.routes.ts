import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { DiscordRouter, RouteReply, RouteRequest } from './discord-router';
import { replyDiscordError, replyJson } from './discord-replies';
import type { DiscordState } from './discord-state';
import { MESSAGE_FLAG_EPHEMERAL, MESSAGE_FLAG_LOADING, type StandinMessage } from './guild-entities';
import { applyInteractionCallback, createResponseMessage, findInteractionMessage } from './interaction-callbacks';
import type { StandinInteraction } from './interaction-store';
import { readMessageFields } from './message-body';
import { parseJsonBody, replyNoContent, replyUnknown } from './route-guards';

const WEBHOOK = '/webhooks/:applicationId/:token';

/**
 * Interactions › Receiving and Responding: the initial callback and the
 * interaction webhook (followups, `@original`). None of these take an
 * Authorization header: the interaction token is the credential.
 */
export function registerInteractionRoutes(router: DiscordRouter, state: DiscordState): void {
  router.add(
    { method: 'POST', path: '/interactions/:interactionId/:token/callback', reply: (request) => answerCallback(request, state) },
    { method: 'POST', path: WEBHOOK, reply: (request) => withInteraction(request, state, (interaction) => createFollowup(request, state, interaction)) },
  );
  for (const suffix of ['/messages/@original', '/messages/:messageId']) {
    router.add(
      {
        method: 'GET',
        path: `${WEBHOOK}${suffix}`,
        reply: (request) => withMessage(request, state, (_interaction, message) => replyJson(state.messages.toPayload(message))),
      },
      { method: 'PATCH', path: `${WEBHOOK}${suffix}`, reply: (request) => withMessage(request, state, (i, m) => editMessage(request, state, i, m)) },
      { method: 'DELETE', path: `${WEBHOOK}${suffix}`, reply: (request) => withMessage(request, state, (i, m) => deleteMessage(request, state, i, m)) },
    );
  }
}

/** Create Interaction Response: unknown id or token and a closed 3-second window are both 10062. */
function answerCallback(request: RouteRequest, state: DiscordState): RouteReply {
  const interaction = state.interactions.find(request.params.interactionId!);
  if (!interaction || interaction.token !== request.params.token) return replyUnknown(RESTJSONErrorCodes.UnknownInteraction);
  const body = parseJsonBody(request);
  if ('reply' in body) return body.reply;
  return applyInteractionCallback(state, interaction, body.value, request.query.get('with_response') === 'true');
}

/**
 * The webhook exists once the interaction was answered and for 15 minutes
 * after it was sent; before the answer Discord says Unknown Webhook, after
 * the 15 minutes Invalid Webhook Token.
 */
function withInteraction(request: RouteRequest, state: DiscordState, reply: (interaction: StandinInteraction) => RouteReply): RouteReply {
  const interaction = state.interactions.findByToken(request.params.token!);
  if (!interaction || interaction.application_id !== request.params.applicationId) return replyUnknown(RESTJSONErrorCodes.UnknownWebhook);
  if (!state.interactions.isTokenAlive(interaction)) return replyDiscordError(401, RESTJSONErrorCodes.InvalidWebhookToken, 'Invalid Webhook Token');
  if (interaction.callbackType === undefined) return replyUnknown(RESTJSONErrorCodes.UnknownWebhook);
  return reply(interaction);
}

/** `@original` is the response message; other ids must be this interaction's followups. */
function withMessage(request: RouteRequest, state: DiscordState, reply: (interaction: StandinInteraction, message: StandinMessage) => RouteReply): RouteReply {
  return withInteraction(request, state, (interaction) => {
    const messageId = request.params.messageId ?? interaction.originalMessageId;
    const isOwn = messageId !== undefined && (messageId === interaction.originalMessageId || interaction.followupMessageIds.includes(messageId));
    const message = isOwn ? findInteractionMessage(state, interaction, messageId) : undefined;
    return message ? reply(interaction, message) : replyUnknown(RESTJSONErrorCodes.UnknownMessage);
  });
}

/** After a deferred response the first followup fills the loading message instead of adding one. */
function createFollowup(request: RouteRequest, state: DiscordState, interaction: StandinInteraction): RouteReply {
  const body = parseJsonBody(request);
  if ('reply' in body) return body.reply;
  const fields = readMessageFields(body.value, true);
  if ('status' in fields) return fields;
  const original = interaction.originalMessageId ? findInteractionMessage(state, interaction, interaction.originalMessageId) : undefined;
  if (original && (original.flags & MESSAGE_FLAG_LOADING) !== 0) {
    const channel = state.guildStore.channels.get(original.channel_id)!;
    state.messages.update(channel, original, { ...fields, flags: original.flags & ~MESSAGE_FLAG_LOADING });
    state.interactions.record(interaction.id, { kind: 'followup', body: body.value, messageId: original.id });
    return replyJson(state.messages.toPayload(original));
  }
  const message = createResponseMessage(state, interaction, { ...fields, flags: (fields.flags ?? 0) & MESSAGE_FLAG_EPHEMERAL });
  if (!message) return replyUnknown(RESTJSONErrorCodes.UnknownChannel);
  interaction.followupMessageIds.push(message.id);
  state.interactions.record(interaction.id, { kind: 'followup', body: body.value, messageId: message.id });
  return replyJson(state.messages.toPayload(message));
}

function editMessage(request: RouteRequest, state: DiscordState, interaction: StandinInteraction, message: StandinMessage): RouteReply {
  const body = parseJsonBody(request);
  if ('reply' in body) return body.reply;
  const fields = readMessageFields(body.value, false);
  if ('status' in fields) return fields;
  const channel = state.guildStore.channels.get(message.channel_id)!;
  // Editing a deferred response ends its "thinking…" state; ephemerality cannot change after the fact.
  const flags = message.flags & ~MESSAGE_FLAG_LOADING;
  state.messages.update(channel, message, { ...fields, flags });
  const isOriginal = message.id === interaction.originalMessageId;
  state.interactions.record(interaction.id, { kind: isOriginal ? 'edit-original' : 'edit-followup', body: body.value, messageId: message.id });
  return replyJson(state.messages.toPayload(message));
}

function deleteMessage(_request: RouteRequest, state: DiscordState, interaction: StandinInteraction, message: StandinMessage): RouteReply {
  state.messages.delete(state.guildStore.channels.get(message.channel_id)!, message);
  const isOriginal = message.id === interaction.originalMessageId;
  state.interactions.record(interaction.id, { kind: isOriginal ? 'delete-original' : 'delete-followup', body: null, messageId: message.id });
  return replyNoContent();
}
