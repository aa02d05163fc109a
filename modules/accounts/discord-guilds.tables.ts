import { jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { defineTableInventory } from '@weft/kernel';
import { personal, users } from './accounts.tables';

/** A Discord server the user manages: owner, or ADMINISTRATOR / MANAGE_GUILD there. */
export interface ManagedGuild {
  id: string;
  isOwner: boolean;
}

/** Older lists are deleted by `accounts.purge-expired`: a stale list proves nothing anyway. */
export const MANAGED_GUILDS_RETENTION_DAYS = 30;

/**
 * The Discord servers a user manages, as Discord's `GET /users/@me/guilds`
 * told at their last Discord sign-in or link (DESIGN §6). One row per user,
 * replaced whole at each sign-in, so "fetched, manages none" is a row with
 * an empty list. Only managed guilds are kept (not every server the user is
 * in), and never the OAuth access token.
 */
export const discordManagedGuilds = pgTable('discord_managed_guilds', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** The Discord account the list was read for: a list outlives no change of the link. */
  discordUserId: text('discord_user_id').notNull(),
  guilds: jsonb('guilds').$type<ManagedGuild[]>().notNull(),
  fetchedAt: timestamp('fetched_at', { withTimezone: true }).notNull(),
});

const RETENTION = `replaced at each Discord sign-in; deleted ${MANAGED_GUILDS_RETENTION_DAYS} days after the last one or on account deletion (it grants nothing once Discord is unlinked)`;

export const discordManagedGuildsInventory = defineTableInventory({
  table: 'discord_managed_guilds',
  module: 'accounts',
  description: 'Discord servers a user manages, read at Discord sign-in, so they can edit bot settings of those servers',
  columns: {
    user_id: personal('user.identifier', 'account the list belongs to', RETENTION, 'delete'),
    discord_user_id: personal('third_party.identifier', 'the Discord account the list was read for', RETENTION, 'delete'),
    guilds: personal('user.behavior', 'which servers the user may manage bot settings of (server ids, owner flag)', RETENTION, 'delete'),
    fetched_at: personal('user.behavior', 'how fresh the list is; older than a day it no longer grants anything', RETENTION, 'delete'),
  },
});
