import type { AccountsContext } from './accounts.context';
import { deleteManagedGuildsFetchedBefore, deleteManagedGuildsOf, findCurrentManagedGuilds, listManagedGuildsRows } from './discord-guilds.repository';
import { MANAGED_GUILDS_RETENTION_DAYS, type ManagedGuild } from './discord-guilds.tables';

/** What other modules (bots: guild staff) learn: the list and how old it is; freshness is their policy. */
export interface ManagedDiscordGuilds {
  discordUserId: string;
  guilds: ManagedGuild[];
  fetchedAt: Date;
}

/** The servers a user manages on Discord, as read at their last Discord sign-in; their export, erasure and retention. */
export function createDiscordGuildsService(context: AccountsContext) {
  const { clock, database } = context;
  return {
    /** Null when the user never signed in with the Discord account linked now. */
    async findManagedDiscordGuilds(userId: string): Promise<ManagedDiscordGuilds | null> {
      const row = await findCurrentManagedGuilds(database.db, userId);
      return row ? { discordUserId: row.discordUserId, guilds: row.guilds, fetchedAt: row.fetchedAt } : null;
    },

    async exportManagedGuilds(userId: string): Promise<unknown[]> {
      return listManagedGuildsRows(database.db, userId);
    },

    eraseManagedGuilds: (userId: string) => deleteManagedGuildsOf(database.db, userId),

    purgeExpiredManagedGuilds: () => deleteManagedGuildsFetchedBefore(database.db, new Date(clock.now().getTime() - MANAGED_GUILDS_RETENTION_DAYS * 86_400_000)),
  };
}
