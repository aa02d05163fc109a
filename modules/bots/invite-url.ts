import { OAuth2Scopes, PermissionFlagsBits } from 'discord-api-types/v10';

import { BOT_FEATURES } from '@weft/contracts';

/** What a bot can be set up to do (the API's list); each feature adds the permissions its actions need to the invite. */
export { BOT_FEATURES };
export type BotFeature = (typeof BOT_FEATURES)[number];

/** Reading and answering in channels: every bot needs these. */
const BASE_PERMISSIONS = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.EmbedLinks | PermissionFlagsBits.ReadMessageHistory;

const FEATURE_PERMISSIONS: Record<BotFeature, bigint> = {
  moderation: PermissionFlagsBits.KickMembers | PermissionFlagsBits.BanMembers | PermissionFlagsBits.ModerateMembers | PermissionFlagsBits.ManageMessages,
  roles: PermissionFlagsBits.ManageRoles,
  threads: PermissionFlagsBits.CreatePublicThreads | PermissionFlagsBits.SendMessagesInThreads | PermissionFlagsBits.ManageThreads,
  reactions: PermissionFlagsBits.AddReactions,
  welcome: PermissionFlagsBits.SendMessages,
  logging: PermissionFlagsBits.ViewAuditLog,
};

/** The union of the base, the features' and the commands' bot permissions, as Discord's decimal bitfield. */
export function computeInvitePermissions(features: readonly string[], commandBotPermissions: readonly (string | null)[]): string {
  let bits = BASE_PERMISSIONS;
  for (const feature of features) bits |= FEATURE_PERMISSIONS[feature as BotFeature] ?? 0n;
  for (const permissions of commandBotPermissions) if (permissions) bits |= BigInt(permissions);
  return bits.toString();
}

/** Topics › OAuth2 › Bot Authorization Flow: `scope=bot applications.commands` and the permissions to grant. */
export function buildInviteUrl(authorizeUrl: string, applicationId: string, permissions: string): string {
  const url = new URL(authorizeUrl);
  url.search = new URLSearchParams({
    client_id: applicationId,
    scope: [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands].join(' '),
    permissions,
  }).toString();
  return url.toString();
}
