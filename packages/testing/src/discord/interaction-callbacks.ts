import {
  ApplicationCommandType,
  InteractionResponseType as Callback,
  InteractionType,
  MessageType,
  RESTJSONErrorCodes,
} from 'discord-api-types/v10';
import type { RouteReply } from './discord-router';
import { replyDiscordError, replyJson } from './discord-replies';
import type { DiscordState } from './discord-state';
import { MESSAGE_FLAG_EPHEMERAL, MESSAGE_FLAG_LOADING, type StandinMessage } from './guild-entities';
import { readMessageFields } from './message-body';
import type { SeedMessage } from './message-store';
import type { StandinInteraction } from './interaction-store';
import { isRecord, replyInvalidForm, replyNoContent, replyUnknown } from './route-guards';
import { toPublicUser } from './user-entities';

/** Which callback types answer which interaction types (Interactions › Receiving and Responding › Interaction Callback Type). */
const ALLOWED_CALLBACKS: Record<number, number[]> = {
  [InteractionType.Ping]: [Callback.Pong],
  [InteractionType.ApplicationCommand]: [Callback.ChannelMessageWithSource, Callback.DeferredChannelMessageWithSource, Callback.Modal, Callback.LaunchActivity],
  [InteractionType.MessageComponent]: [
    Callback.ChannelMessageWithSource, Callback.DeferredChannelMessageWithSource, Callback.DeferredMessageUpdate, Callback.UpdateMessage, Callback.Modal,
  ],
  [InteractionType.ApplicationCommandAutocomplete]: [Callback.ApplicationCommandAutocompleteResult],
  [InteractionType.ModalSubmit]: [Callback.ChannelMessageWithSource, Callback.DeferredChannelMessageWithSource, Callback.DeferredMessageUpdate, Callback.UpdateMessage],
};

/**
 * The initial response to an interaction, from the callback route or from the
 * reply to the signed POST: checks the 3-second window and single use, then
 * does what the user would see (a message, a loading message, an updated
 * message, choices or a modal) and records it.
 */
export function applyInteractionCallback(state: DiscordState, interaction: StandinInteraction, body: unknown, withResponse: boolean): RouteReply {
  if (interaction.callbackType !== undefined) {
    return replyDiscordError(400, RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged, 'Interaction has already been acknowledged.');
  }
  if (!state.interactions.isInitialWindowOpen(interaction)) return replyUnknown(RESTJSONErrorCodes.UnknownInteraction);
  if (!isRecord(body) || typeof body.type !== 'number') return replyInvalidForm({ type: { code: 'BASE_TYPE_REQUIRED', message: 'This field is required' } });
  const type = body.type;
  if (!(ALLOWED_CALLBACKS[interaction.type] ?? []).includes(type)) {
    return replyInvalidForm({ type: { code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: 'Interaction response type is invalid for this interaction' } });
  }
  const data = isRecord(body.data) ? body.data : {};
  let message: StandinMessage | undefined;
  if (type === Callback.ChannelMessageWithSource || type === Callback.DeferredChannelMessageWithSource) {
    const fields = readMessageFields(data, type === Callback.ChannelMessageWithSource);
    if ('status' in fields) return fields;
    const isDeferred = type === Callback.DeferredChannelMessageWithSource;
    const flags = (fields.flags ?? 0) & MESSAGE_FLAG_EPHEMERAL;
    message = createResponseMessage(state, interaction, isDeferred ? { flags: flags | MESSAGE_FLAG_LOADING } : { ...fields, flags: (fields.flags ?? 0) });
  } else if (type === Callback.UpdateMessage || type === Callback.DeferredMessageUpdate) {
    message = interaction.message_id ? findInteractionMessage(state, interaction, interaction.message_id) : undefined;
    if (type === Callback.UpdateMessage && message) {
      const fields = readMessageFields(data, false);
      if ('status' in fields) return fields;
      state.messages.update(state.guildStore.channels.get(message.channel_id)!, message, fields);
    }
  } else if (type === Callback.ApplicationCommandAutocompleteResult && !Array.isArray(data.choices)) {
    return replyInvalidForm({ 'data.choices': { code: 'BASE_TYPE_REQUIRED', message: 'This field is required' } });
  } else if (type === Callback.Modal && (typeof data.custom_id !== 'string' || typeof data.title !== 'string' || !Array.isArray(data.components))) {
    return replyInvalidForm({ data: { code: 'BASE_TYPE_REQUIRED', message: 'custom_id, title and components are required' } });
  }
  interaction.callbackType = type;
  if (message) interaction.originalMessageId = message.id;
  state.interactions.record(interaction.id, { kind: 'callback', type, body, ...(message ? { messageId: message.id } : {}) });
  if (!withResponse) return replyNoContent();
  return replyJson({
    interaction: {
      id: interaction.id,
      type: interaction.type,
      ...(message ? { response_message_id: message.id, response_message_loading: (message.flags & MESSAGE_FLAG_LOADING) !== 0, response_message_ephemeral: (message.flags & MESSAGE_FLAG_EPHEMERAL) !== 0 } : {}),
    },
    resource: { type, ...(message ? { message: state.messages.toPayload(message) } : {}) },
  });
}

/** A message sent through the interaction's webhook: authored by the bot, marked with the application and the interaction. */
export function createResponseMessage(
  state: DiscordState,
  interaction: StandinInteraction,
  fields: Omit<SeedMessage, 'author_id'>,
): StandinMessage | undefined {
  const channel = interaction.channel_id ? state.guildStore.channels.get(interaction.channel_id) : undefined;
  const application = state.findApplication(interaction.application_id);
  if (!channel || !application?.bot) return undefined;
  const user = state.findUser(interaction.user_id);
  const commandType = isRecord(interaction.payload.data) ? (interaction.payload.data as { type?: number }).type : undefined;
  return state.messages.create(channel, {
    ...fields,
    author_id: application.bot.user.id,
    webhook_id: application.id,
    application_id: application.id,
    type: commandType === ApplicationCommandType.ChatInput ? MessageType.ChatInputCommand : commandType ? MessageType.ContextMenuCommand : MessageType.Default,
    interaction_metadata: {
      id: interaction.id,
      type: interaction.type,
      user: user ? toPublicUser(user) : undefined,
      authorizing_integration_owners: interaction.payload.authorizing_integration_owners,
    },
  });
}

export function findInteractionMessage(state: DiscordState, interaction: StandinInteraction, messageId: string): StandinMessage | undefined {
  return interaction.channel_id ? state.messages.find(interaction.channel_id, messageId) : undefined;
}
