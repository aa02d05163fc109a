import { boolean, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { DISCORD_EVENT_TYPES } from '@weft/engine';
import { defineTableInventory, systemColumn } from '@weft/kernel';
import { bots } from './bots.tables';

/**
 * One row per bot whose gateway session some worker holds or held: the lease
 * (owner, expires_at) keeps exactly one session per bot cluster-wide, and the
 * resume state (session id, last handled sequence) lets the next owner RESUME
 * instead of IDENTIFYing, replaying what the previous one had not handled.
 */
export const botGatewayLeases = pgTable('bot_gateway_leases', {
  botId: uuid('bot_id')
    .primaryKey()
    .references(() => bots.id, { onDelete: 'cascade' }),
  owner: text('owner'),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  sessionId: text('session_id'),
  resumeUrl: text('resume_url'),
  /** Sequence of the last dispatch fully handled (runs started), not merely received. */
  sequence: integer('sequence'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** IDENTIFYs per bot per UTC day: Discord allows 1000 a day and resets the token beyond. */
export const botGatewayIdentifies = pgTable(
  'bot_gateway_identifies',
  {
    botId: uuid('bot_id')
      .notNull()
      .references(() => bots.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.botId, t.day] })],
);

/** Gateway events that start a workflow of the bot's workspace. */
export const botEventFlows = pgTable(
  'bot_event_flows',
  {
    id: uuid('id').primaryKey(),
    botId: uuid('bot_id')
      .notNull()
      .references(() => bots.id, { onDelete: 'cascade' }),
    workspaceId: uuid('workspace_id').notNull(),
    event: text('event', { enum: DISCORD_EVENT_TYPES }).notNull(),
    workflowId: uuid('workflow_id').notNull(),
    isEnabled: boolean('is_enabled').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('bot_event_flows_unique_idx').on(t.botId, t.event, t.workflowId), index('bot_event_flows_workflow_idx').on(t.workspaceId, t.workflowId)],
);

export interface SyncedChannel {
  id: string;
  name: string | null;
  type: number;
  parentId: string | null;
  position: number | null;
}

export interface SyncedRole {
  id: string;
  name: string;
  /** Permission bitfield as a decimal string. */
  permissions: string;
  position: number;
  isManaged: boolean;
}

/** The guilds a bot is in, with their channels and roles, kept in sync from the gateway. */
export const botGuilds = pgTable(
  'bot_guilds',
  {
    botId: uuid('bot_id')
      .notNull()
      .references(() => bots.id, { onDelete: 'cascade' }),
    guildId: text('guild_id').notNull(),
    name: text('name').notNull(),
    icon: text('icon'),
    ownerId: text('owner_id'),
    channels: jsonb('channels').$type<SyncedChannel[]>().notNull().default([]),
    roles: jsonb('roles').$type<SyncedRole[]>().notNull().default([]),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
    syncedAt: timestamp('synced_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.botId, t.guildId] }), index('bot_guilds_owner_idx').on(t.ownerId)],
);

const WITH_BOT = 'until the bot is deleted';

export const botGatewayLeasesInventory = defineTableInventory({
  table: 'bot_gateway_leases',
  module: 'bots',
  description: "Which worker holds a bot's gateway session, and the state to resume it",
  columns: {
    bot_id: systemColumn('bot', 'system.identifier'),
    owner: systemColumn('worker holding the session'),
    expires_at: systemColumn('lease expiry; another worker may take over after it'),
    session_id: systemColumn('Discord gateway session id, to resume', 'system.security'),
    resume_url: systemColumn('gateway URL to resume on'),
    sequence: systemColumn('last dispatch handled'),
    updated_at: systemColumn('last renewal'),
  },
});

export const botGatewayIdentifiesInventory = defineTableInventory({
  table: 'bot_gateway_identifies',
  module: 'bots',
  description: 'Gateway IDENTIFYs per bot per day (Discord allows 1000 a day)',
  columns: {
    bot_id: systemColumn('bot', 'system.identifier'),
    day: { ...systemColumn('UTC day'), retention: '30 days' },
    count: systemColumn('IDENTIFYs sent that day'),
  },
});

export const botEventFlowsInventory = defineTableInventory({
  table: 'bot_event_flows',
  module: 'bots',
  description: 'Gateway events of a bot that start a workflow',
  columns: {
    id: systemColumn('event flow id', 'system.identifier'),
    bot_id: systemColumn('bot', 'system.identifier'),
    workspace_id: systemColumn('owning workspace', 'system.identifier'),
    event: systemColumn('the Discord event type'),
    workflow_id: systemColumn('workflow started', 'system.identifier'),
    is_enabled: systemColumn('whether the flow runs (and asks for its intents)'),
    created_at: systemColumn('when the flow was added'),
    updated_at: systemColumn('last change'),
  },
});

export const botGuildsInventory = defineTableInventory({
  table: 'bot_guilds',
  module: 'bots',
  description: 'Guilds a bot is in, with channels and roles, synced from the gateway',
  columns: {
    bot_id: systemColumn('bot', 'system.identifier'),
    guild_id: { category: 'third_party.identifier', purpose: 'guild the bot is in', subject: 'none', retention: `${WITH_BOT} or leaves the guild`, erase: 'not-personal' },
    name: { category: 'third_party.identifier', purpose: 'guild name shown in the dashboard', subject: 'none', retention: `${WITH_BOT} or leaves the guild`, erase: 'not-personal' },
    icon: { category: 'third_party.identifier', purpose: 'guild icon hash', subject: 'none', retention: `${WITH_BOT} or leaves the guild`, erase: 'not-personal' },
    owner_id: {
      category: 'third_party.identifier',
      purpose: 'Discord id of the guild owner: who may manage the guild settings',
      subject: 'guild_member',
      retention: `${WITH_BOT} or leaves the guild`,
      erase: 'anonymize',
    },
    channels: { category: 'third_party.identifier', purpose: 'channel ids, names and types for settings and flows', subject: 'none', retention: `${WITH_BOT} or leaves the guild`, erase: 'not-personal' },
    roles: { category: 'third_party.identifier', purpose: 'role ids, names and permissions for staff checks', subject: 'none', retention: `${WITH_BOT} or leaves the guild`, erase: 'not-personal' },
    joined_at: systemColumn('when the bot was first seen in the guild'),
    synced_at: systemColumn('last sync'),
  },
});
