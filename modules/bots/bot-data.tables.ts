import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { defineTableInventory, systemColumn } from '@weft/kernel';
import { bots } from './bots.tables';

import { RUNTIME_EVENT_LEVELS as EVENT_LEVELS, VARIABLE_SCOPES, VARIABLE_TYPES } from '@weft/contracts';

// The API's lists (packages/contracts) are the ones the tables check.
export { EVENT_LEVELS, VARIABLE_SCOPES, VARIABLE_TYPES };
export type VariableScope = (typeof VARIABLE_SCOPES)[number];
export type VariableType = (typeof VARIABLE_TYPES)[number];
export type EventLevel = (typeof EVENT_LEVELS)[number];

/**
 * Persistent data a bot's flows read and write. `scope_id` is '' for global,
 * else the guild, channel or Discord user id; a user-scoped row is personal
 * data of that Discord member (export and erase go by their id).
 */
export const botVariables = pgTable(
  'bot_variables',
  {
    id: uuid('id').primaryKey(),
    botId: uuid('bot_id')
      .notNull()
      .references(() => bots.id, { onDelete: 'cascade' }),
    scope: text('scope', { enum: VARIABLE_SCOPES }).notNull(),
    scopeId: text('scope_id').notNull(),
    key: text('key').notNull(),
    type: text('type', { enum: VARIABLE_TYPES }).notNull(),
    value: jsonb('value').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('bot_variables_key_idx').on(t.botId, t.scope, t.scopeId, t.key),
    index('bot_variables_user_idx').on(t.scopeId).where(sql`${t.scope} = 'user'`),
  ],
);

/** Per-guild configuration, edited by the workspace (and, later, by guild staff). */
export const botGuildSettings = pgTable(
  'bot_guild_settings',
  {
    botId: uuid('bot_id')
      .notNull()
      .references(() => bots.id, { onDelete: 'cascade' }),
    guildId: text('guild_id').notNull(),
    enabledFeatures: jsonb('enabled_features').$type<string[]>().notNull().default([]),
    /** Purpose → channel id, e.g. { welcome: '123', logs: '456' }. */
    channels: jsonb('channels').$type<Record<string, string>>().notNull().default({}),
    staffRoleIds: jsonb('staff_role_ids').$type<string[]>().notNull().default([]),
    updatedBy: text('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.botId, t.guildId] })],
);

/** Interactions per command per UTC day, aggregated: no user ids. */
export const botCommandUsage = pgTable(
  'bot_command_usage',
  {
    botId: uuid('bot_id')
      .notNull()
      .references(() => bots.id, { onDelete: 'cascade' }),
    commandId: uuid('command_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    invocations: integer('invocations').notNull().default(0),
    failures: integer('failures').notNull().default(0),
    /** Refused by cooldown or permissions before any run. */
    refusals: integer('refusals').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.botId, t.commandId, t.day] }), index('bot_command_usage_day_idx').on(t.day)],
);

/** The runtime log shown on the bot's page; messages never carry member ids or tokens. */
export const botRuntimeEvents = pgTable(
  'bot_runtime_events',
  {
    id: uuid('id').primaryKey(),
    botId: uuid('bot_id')
      .notNull()
      .references(() => bots.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull(),
    level: text('level', { enum: EVENT_LEVELS }).notNull(),
    message: text('message').notNull(),
    details: jsonb('details').notNull().default({}),
  },
  (t) => [index('bot_runtime_events_bot_idx').on(t.botId, t.id), index('bot_runtime_events_at_idx').on(t.at), check('bot_runtime_events_message_length', sql`char_length(${t.message}) <= 1000`)],
);

const WITH_BOT = 'until the bot is deleted';
export const RUNTIME_EVENT_RETENTION_DAYS = 30;
export const USAGE_RETENTION_DAYS = 400;

export const botVariablesInventory = defineTableInventory({
  table: 'bot_variables',
  module: 'bots',
  description: "Data a bot's flows keep per guild, channel, Discord member or globally",
  columns: {
    id: systemColumn('variable id', 'system.identifier'),
    bot_id: systemColumn('bot', 'system.identifier'),
    scope: systemColumn('global, guild, user or channel'),
    scope_id: {
      category: 'third_party.identifier',
      purpose: 'the guild, channel or Discord member the value belongs to',
      subject: 'guild_member',
      retention: `${WITH_BOT}, or until the member's erasure`,
      erase: 'delete',
    },
    key: systemColumn('variable name chosen by the workspace'),
    type: systemColumn('text, number, list or object'),
    value: {
      category: 'third_party.content',
      purpose: "what the bot's flows store (points, preferences …) for that scope",
      subject: 'guild_member',
      retention: `${WITH_BOT}, or until the member's erasure`,
      erase: 'delete',
    },
    created_at: systemColumn('first write'),
    updated_at: systemColumn('last write'),
  },
});

export const botGuildSettingsInventory = defineTableInventory({
  table: 'bot_guild_settings',
  module: 'bots',
  description: 'Per-guild settings of a bot: enabled features, channels, staff roles',
  columns: {
    bot_id: systemColumn('bot', 'system.identifier'),
    guild_id: { category: 'third_party.identifier', purpose: 'guild the settings apply to', subject: 'none', retention: WITH_BOT, erase: 'not-personal' },
    enabled_features: systemColumn('features enabled in the guild'),
    channels: { category: 'third_party.identifier', purpose: 'channel ids used per feature', subject: 'none', retention: WITH_BOT, erase: 'not-personal' },
    staff_role_ids: { category: 'third_party.identifier', purpose: 'role ids allowed to edit the settings', subject: 'none', retention: WITH_BOT, erase: 'not-personal' },
    updated_by: { category: 'user.identifier', purpose: 'who changed the settings last (accountability)', subject: 'workspace_member', retention: WITH_BOT, erase: 'anonymize' },
    updated_at: systemColumn('last change'),
  },
});

export const botCommandUsageInventory = defineTableInventory({
  table: 'bot_command_usage',
  module: 'bots',
  description: 'Command usage per day, aggregated without user ids',
  columns: {
    bot_id: systemColumn('bot', 'system.identifier'),
    command_id: systemColumn('command', 'system.identifier'),
    day: { ...systemColumn('UTC day'), retention: `${USAGE_RETENTION_DAYS} days` },
    invocations: systemColumn('interactions received'),
    failures: systemColumn('runs that failed'),
    refusals: systemColumn('interactions refused by cooldown or permissions'),
  },
});

export const botRuntimeEventsInventory = defineTableInventory({
  table: 'bot_runtime_events',
  module: 'bots',
  description: `Runtime log of a bot (status changes, failed flows), purged after ${RUNTIME_EVENT_RETENTION_DAYS} days`,
  columns: {
    id: systemColumn('event id (time ordered)', 'system.identifier'),
    bot_id: systemColumn('bot', 'system.identifier'),
    at: { ...systemColumn('when it happened'), retention: `${RUNTIME_EVENT_RETENTION_DAYS} days` },
    level: systemColumn('info, warn or error'),
    message: { ...systemColumn('what happened, without member ids or secrets'), retention: `${RUNTIME_EVENT_RETENTION_DAYS} days` },
    details: { ...systemColumn('command name, error code, status'), retention: `${RUNTIME_EVENT_RETENTION_DAYS} days` },
  },
});
