import { AppError, isUuid } from '@weft/kernel';
import { findGuildSettingsRow, upsertGuildSettingsRow } from './bot-data.repository';
import { toGuildSettingsView, type GuildSettingsInput, type GuildSettingsView } from './bot-guilds.service';
import { createBotAccess, type BotsContext, type Caller } from './bots.context';
import type { FindManagedDiscordGuilds } from './bots.dependencies';
import { BotErrors } from './bots.errors';
import { findBotRowById, type BotRow } from './bots.repository';
import { findGuildRow, listBotsInGuilds } from './guild-sync.repository';
import type { SyncedChannel, SyncedRole } from './gateway.tables';

/**
 * How old the user's Discord server list may be and still grant anything:
 * someone demoted on Discord loses access here within a day at the latest.
 */
export const MANAGED_GUILDS_MAX_AGE_MS = 24 * 3_600_000;

export interface StaffedGuildView {
  guildId: string;
  name: string;
  icon: string | null;
  isOwner: boolean;
  channels: SyncedChannel[];
  roles: SyncedRole[];
  bots: { id: string; name: string }[];
}

/**
 * Guild staff (MEE6-style server dashboards): whoever manages a Discord server
 * (owner, ADMINISTRATOR or MANAGE_GUILD, per their OAuth server list) edits
 * the settings of any Weft bot in that server, without being a member of the
 * bot's workspace. Nothing else of the bot is reachable this way.
 */
export function createGuildStaffService(context: BotsContext, findManagedDiscordGuilds: FindManagedDiscordGuilds) {
  const { database, clock } = context;
  const access = createBotAccess(context);

  async function requireFreshManagedGuilds(caller: Caller) {
    if (caller.principal.via !== 'session') {
      throw new AppError(BotErrors.BOT_GUILD_STAFF_SESSION_REQUIRED, 'Server settings are edited from a signed-in dashboard session, not with an API token');
    }
    const managed = await findManagedDiscordGuilds(caller.principal.userId);
    if (!managed || clock.now().getTime() - managed.fetchedAt.getTime() > MANAGED_GUILDS_MAX_AGE_MS) {
      throw new AppError(BotErrors.BOT_GUILD_STAFF_SIGN_IN_REQUIRED, 'Sign in with Discord again to confirm which servers you manage', {
        fetchedAt: managed?.fetchedAt.toISOString() ?? null,
        maxAgeHours: MANAGED_GUILDS_MAX_AGE_MS / 3_600_000,
      });
    }
    return managed;
  }

  /** Queries outside any transaction (PGlite: one connection); 403 before 404, so a stranger learns nothing about the server's bots. */
  async function requireStaffedBot(caller: Caller, guildId: string, botId: string): Promise<BotRow> {
    const managed = await requireFreshManagedGuilds(caller);
    if (!managed.guilds.some((guild) => guild.id === guildId)) {
      throw new AppError(BotErrors.BOT_GUILD_NOT_MANAGED, 'You do not manage this Discord server (owner, Administrator or Manage Server)', { guildId });
    }
    const bot = isUuid(botId) ? await findBotRowById(database.db, botId) : undefined;
    if (!bot || !(await findGuildRow(database.db, bot.id, guildId))) {
      throw new AppError(BotErrors.BOT_NOT_FOUND, 'No such bot in this Discord server', { botId, guildId });
    }
    return bot;
  }

  return {
    /** The managed servers in which some Weft bot is present, each with its bots. */
    async listStaffedGuilds(caller: Caller): Promise<{ fetchedAt: Date; items: StaffedGuildView[] }> {
      const managed = await requireFreshManagedGuilds(caller);
      const isOwner = new Map(managed.guilds.map((guild) => [guild.id, guild.isOwner]));
      const items = new Map<string, StaffedGuildView>();
      for (const row of await listBotsInGuilds(database.db, [...isOwner.keys()])) {
        const item = items.get(row.guildId) ?? { guildId: row.guildId, name: row.name, icon: row.icon, isOwner: isOwner.get(row.guildId) === true, channels: row.channels, roles: row.roles, bots: [] };
        item.bots.push({ id: row.botId, name: row.botName });
        items.set(row.guildId, item);
      }
      return { fetchedAt: managed.fetchedAt, items: [...items.values()] };
    },

    async getGuildSettings(caller: Caller, guildId: string, botId: string): Promise<GuildSettingsView> {
      const bot = await requireStaffedBot(caller, guildId, botId);
      return toGuildSettingsView(guildId, await findGuildSettingsRow(database.db, bot.id, guildId));
    },

    /** Audited in the bot's workspace, in the transaction of the change, with the guild staff member as actor. */
    async putGuildSettings(caller: Caller, guildId: string, botId: string, input: GuildSettingsInput): Promise<GuildSettingsView> {
      const bot = await requireStaffedBot(caller, guildId, botId);
      const row = await database.transaction(async (tx) => {
        const saved = await upsertGuildSettingsRow(tx, { botId: bot.id, guildId, ...input, updatedBy: caller.principal.userId, updatedAt: clock.now() });
        await access.recordChange(tx, caller, bot.workspaceId, bot.id, 'bots.guild-settings.updated', { guildId, enabledFeatures: input.enabledFeatures, via: 'guild-staff' });
        return saved;
      });
      return toGuildSettingsView(guildId, row);
    },
  };
}

export type GuildStaffService = ReturnType<typeof createGuildStaffService>;
