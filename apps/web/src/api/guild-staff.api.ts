import type { GuildSettingsBody, StaffedGuild as StaffedGuildView, StaffedGuildList } from '@weft/contracts';
import { api } from './api-client';
import type { GuildSettings } from './bots.api';

/**
 * A Discord server the signed-in person manages (owner, ADMINISTRATOR or
 * MANAGE_GUILD at their last Discord sign-in) in which a Weft bot runs — of
 * any workspace, theirs or not (modules/bots README, "Guild staff").
 */
export type StaffedGuild = StaffedGuildView;

/** 403 when the managed-server list is missing or older than `maxAgeHours`: sign in with Discord again. */
export const GUILD_STAFF_SIGN_IN_REQUIRED = 'BOT_GUILD_STAFF_SIGN_IN_REQUIRED';
/** Links Discord to the signed-in account (or refreshes the link), which also re-reads the managed servers. */
export const DISCORD_LINK_URL = '/api/v1/auth/discord?link=true';

const STAFF_URL = '/api/v1/me/discord/guilds';
const settingsUrl = (guildId: string, botId: string) => `${STAFF_URL}/${encodeURIComponent(guildId)}/bots/${encodeURIComponent(botId)}/settings`;

export const guildStaffApi = {
  listStaffedGuilds: () => api.get<StaffedGuildList>(STAFF_URL),
  findGuildSettings: (guildId: string, botId: string) => api.get<GuildSettings>(settingsUrl(guildId, botId)),
  saveGuildSettings: (guildId: string, botId: string, body: GuildSettingsBody) => api.put<GuildSettings>(settingsUrl(guildId, botId), body),
};
