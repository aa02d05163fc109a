import type { KeyObject } from 'node:crypto';
import { ChannelType, PermissionFlagsBits as P } from 'discord-api-types/v10';
import type { DiscordState } from './discord-state';

/** What @everyone may do in a new Discord server, roughly: see, talk, react, read history. */
const EVERYONE_PERMISSIONS = P.ViewChannel | P.SendMessages | P.ReadMessageHistory | P.AddReactions | P.EmbedLinks | P.AttachFiles | P.UseApplicationCommands | P.CreatePublicThreads | P.SendMessagesInThreads;

/** What a moderation bot is usually invited with. */
export const BOT_PERMISSIONS = EVERYONE_PERMISSIONS | P.ManageRoles | P.KickMembers | P.BanMembers | P.ModerateMembers | P.ManageMessages | P.ManageNicknames | P.ManageThreads;

export interface SeedBotWorldOptions {
  applicationId?: string;
  botToken?: string;
  botUsername?: string;
  guildId?: string;
  guildName?: string;
  /** GatewayIntentBits switched on for the application; none by default, as for a new application. */
  privilegedIntents?: number;
  /** Permissions of the bot's role; defaults to BOT_PERMISSIONS. */
  botPermissions?: bigint;
  signingKey?: KeyObject;
}

/**
 * One call for a bot test: an application with a bot user, token and Ed25519
 * key pair, and a guild holding the bot, its owner and two members, with
 * #general and #mod-log text channels and the roles Member < Moderator < bot role.
 */
export function seedBotWorld(state: DiscordState, options: SeedBotWorldOptions = {}) {
  const owner = state.addUser({ username: 'owner', global_name: 'Guild Owner', email: 'owner@example.com' });
  const alice = state.addUser({ username: 'alice', global_name: 'Alice', email: 'alice@example.com' });
  const bob = state.addUser({ username: 'bob', global_name: 'Bob', email: 'bob@example.com' });
  const application = state.addApplication({
    id: options.applicationId,
    name: 'Weft Bot',
    bot: { username: options.botUsername ?? 'Weft Bot', token: options.botToken },
    privilegedIntents: options.privilegedIntents ?? 0,
    signingKey: options.signingKey,
  });
  const bot = application.bot!.user;
  const guild = state.addGuild({
    id: options.guildId,
    name: options.guildName ?? 'Weft Test Server',
    owner_id: owner.id,
    everyone_permissions: EVERYONE_PERMISSIONS,
    channels: [
      { name: 'general', type: ChannelType.GuildText, topic: 'Say hi' },
      { name: 'mod-log', type: ChannelType.GuildText },
    ],
  });
  const store = state.guildStore;
  const memberRole = store.addRole(guild.id, { name: 'Member', position: 1 });
  const moderatorRole = store.addRole(guild.id, { name: 'Moderator', position: 2, permissions: P.KickMembers | P.ManageMessages | P.ModerateMembers });
  const botRole = store.addRole(guild.id, { name: application.name, position: 3, permissions: options.botPermissions ?? BOT_PERMISSIONS, managed: true });
  state.addMember(guild.id, alice.id, { roles: [memberRole.id] });
  state.addMember(guild.id, bob.id, { roles: [memberRole.id, moderatorRole.id] });
  state.addMember(guild.id, bot.id, { roles: [botRole.id] });
  const [general, modLog] = store.listChannels(guild.id);
  return { owner, alice, bob, application, bot, guild, general: general!, modLog: modLog!, roles: { member: memberRole, moderator: moderatorRole, bot: botRole } };
}

export type BotWorld = ReturnType<typeof seedBotWorld>;
