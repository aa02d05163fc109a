import type { DiscordEventType } from '@weft/engine';
import type { SyncedChannel, SyncedRole } from './gateway.tables';

/** Raw gateway payload fields, typed loosely: Discord adds fields over time. */
type Raw = Record<string, unknown>;

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const obj = (value: unknown): Raw => (value && typeof value === 'object' ? (value as Raw) : {});

export function toUser(raw: unknown) {
  const user = obj(raw);
  return { id: str(user.id) ?? '', username: str(user.username) ?? '', globalName: str(user.global_name), isBot: user.bot === true };
}

export function toChannel(raw: unknown): SyncedChannel {
  const channel = obj(raw);
  return { id: str(channel.id) ?? '', name: str(channel.name), type: Number(channel.type ?? 0), parentId: str(channel.parent_id), position: typeof channel.position === 'number' ? channel.position : null };
}

export function toRole(raw: unknown): SyncedRole {
  const role = obj(raw);
  return { id: str(role.id) ?? '', name: str(role.name) ?? '', permissions: str(role.permissions) ?? '0', position: Number(role.position ?? 0), isManaged: role.managed === true };
}

function toEmoji(raw: unknown) {
  const emoji = obj(raw);
  return { id: str(emoji.id), name: str(emoji.name), isAnimated: emoji.animated === true };
}

/**
 * The flat input an event flow's trigger receives: `event`, `botId`,
 * `applicationId`, `guildId`, plus the event's subject. Ids and names only;
 * member data goes no further than the run that handles it.
 */
export function buildEventInput(event: DiscordEventType, data: Raw, bot: { id: string; applicationId: string }): Record<string, unknown> {
  const base = { event, botId: bot.id, applicationId: bot.applicationId, guildId: str(data.guild_id) ?? str(data.id) };
  switch (event) {
    case 'member.join':
      return { ...base, user: toUser(data.user), member: { nick: str(data.nick), roles: Array.isArray(data.roles) ? data.roles : [], joinedAt: str(data.joined_at) } };
    case 'member.leave':
      return { ...base, user: toUser(data.user) };
    case 'message.create': {
      const member = obj(data.member);
      return {
        ...base,
        channelId: str(data.channel_id),
        message: { id: str(data.id), content: str(data.content) ?? '', embeds: data.embeds ?? [], attachments: data.attachments ?? [], mentions: Array.isArray(data.mentions) ? data.mentions.map((m) => str(obj(m).id)) : [], referencedMessageId: str(obj(data.message_reference).message_id) },
        user: toUser(data.author),
        member: data.member ? { nick: str(member.nick), roles: Array.isArray(member.roles) ? member.roles : [] } : null,
      };
    }
    case 'reaction.add':
    case 'reaction.remove':
      return { ...base, channelId: str(data.channel_id), reaction: { messageId: str(data.message_id), userId: str(data.user_id), emoji: toEmoji(data.emoji) } };
    case 'role.create':
    case 'role.update':
      return { ...base, role: toRole(data.role) };
    case 'role.delete':
      return { ...base, roleId: str(data.role_id) };
    case 'channel.create':
    case 'channel.update':
    case 'channel.delete':
      return { ...base, channel: toChannel(data) };
    case 'guild.join':
      return { ...base, guildId: str(data.id), guild: { id: str(data.id), name: str(data.name), ownerId: str(data.owner_id), memberCount: typeof data.member_count === 'number' ? data.member_count : null } };
    case 'guild.leave':
      return { ...base, guildId: str(data.id) };
  }
}

/** Gateway dispatch name → event flow type (GUILD_CREATE/DELETE are decided by the dispatcher). */
export const EVENT_BY_DISPATCH: Partial<Record<string, DiscordEventType>> = {
  GUILD_MEMBER_ADD: 'member.join',
  GUILD_MEMBER_REMOVE: 'member.leave',
  MESSAGE_CREATE: 'message.create',
  MESSAGE_REACTION_ADD: 'reaction.add',
  MESSAGE_REACTION_REMOVE: 'reaction.remove',
  GUILD_ROLE_CREATE: 'role.create',
  GUILD_ROLE_UPDATE: 'role.update',
  GUILD_ROLE_DELETE: 'role.delete',
  CHANNEL_CREATE: 'channel.create',
  CHANNEL_UPDATE: 'channel.update',
  CHANNEL_DELETE: 'channel.delete',
};
