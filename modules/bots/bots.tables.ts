import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { defineTableInventory, systemColumn } from '@weft/kernel';

import { BOT_DESIRED_STATES, BOT_STATUSES, COMMAND_KINDS } from '@weft/contracts';

// The API's lists (packages/contracts) are the ones the tables check: one list, no drift.
// slash/user/message are Discord application commands; component routes buttons, selects and modals by custom_id prefix.
export { BOT_DESIRED_STATES, BOT_STATUSES, COMMAND_KINDS };
export type BotStatus = (typeof BOT_STATUSES)[number];
export type CommandKind = (typeof COMMAND_KINDS)[number];

/**
 * A Discord application connected to a workspace. The token lives only in
 * the credentials module (type `discord-bot-token`), referenced by
 * `credential_id`; this row never holds a secret. Workspaces and credentials
 * belong to other modules: no foreign keys across module borders.
 */
export const bots = pgTable(
  'bots',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull(),
    applicationId: text('application_id').notNull(),
    /** Ed25519 public key, 64 hex digits: verifies every interaction Discord sends. */
    publicKey: text('public_key').notNull(),
    credentialId: uuid('credential_id').notNull(),
    botUserId: text('bot_user_id').notNull(),
    name: text('name').notNull(),
    avatar: text('avatar'),
    /** Features the bot uses (moderation, roles …): they add to the invite permissions. */
    features: jsonb('features').$type<string[]>().notNull().default([]),
    desiredState: text('desired_state', { enum: BOT_DESIRED_STATES }).notNull().default('stopped'),
    status: text('status', { enum: BOT_STATUSES }).notNull().default('stopped'),
    statusDetail: text('status_detail'),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('bots_workspace_application_idx').on(t.workspaceId, t.applicationId),
    index('bots_created_by_idx').on(t.createdBy),
    check('bots_public_key_hex', sql`${t.publicKey} ~ '^[0-9a-f]{64}$'`),
  ],
);

/**
 * What a bot answers: an application command (slash, user, message) in the
 * global scope or one guild, or a component handler (`name` is the custom_id
 * prefix), each answered by a workflow of the bot's workspace.
 */
export const botCommands = pgTable(
  'bot_commands',
  {
    id: uuid('id').primaryKey(),
    botId: uuid('bot_id')
      .notNull()
      .references(() => bots.id, { onDelete: 'cascade' }),
    workspaceId: uuid('workspace_id').notNull(),
    /** 'global' or a guild id (snowflake). */
    scope: text('scope').notNull(),
    kind: text('kind', { enum: COMMAND_KINDS }).notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** Discord application command options (types, choices, autocomplete flags), validated on write. */
    options: jsonb('options').notNull().default([]),
    workflowId: uuid('workflow_id').notNull(),
    /** Answers autocomplete; the command's own workflow (with `kind: 'autocomplete'`) when null. */
    autocompleteWorkflowId: uuid('autocomplete_workflow_id'),
    isEphemeral: boolean('is_ephemeral').notNull().default(false),
    cooldownSeconds: integer('cooldown_seconds').notNull().default(0),
    /** Permission bitfield (decimal) the invoking member needs; also sent as default_member_permissions. */
    requiredPermissions: text('required_permissions'),
    /** Permission bitfield (decimal) the bot needs for this command's flow; added to the invite URL. */
    botPermissions: text('bot_permissions'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('bot_commands_name_idx').on(t.botId, t.scope, t.kind, t.name),
    index('bot_commands_workflow_idx').on(t.workspaceId, t.workflowId),
    check('bot_commands_cooldown_range', sql`${t.cooldownSeconds} BETWEEN 0 AND 86400`),
  ],
);

/** Hash of the command set last bulk-overwritten per scope: the same set is never sent twice. */
export const botCommandRegistrations = pgTable(
  'bot_command_registrations',
  {
    botId: uuid('bot_id')
      .notNull()
      .references(() => bots.id, { onDelete: 'cascade' }),
    scope: text('scope').notNull(),
    commandsHash: text('commands_hash').notNull(),
    commandCount: integer('command_count').notNull(),
    registeredAt: timestamp('registered_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.botId, t.scope] })],
);

const WITH_BOT = 'until the bot is deleted';

export const botsInventory = defineTableInventory({
  table: 'bots',
  module: 'bots',
  description: 'Discord bots connected to a workspace (the token is a credential, never stored here)',
  columns: {
    id: systemColumn('bot id', 'system.identifier'),
    workspace_id: systemColumn('owning workspace', 'system.identifier'),
    application_id: { category: 'third_party.identifier', purpose: 'Discord application id of the bot', subject: 'none', retention: WITH_BOT, erase: 'not-personal' },
    public_key: systemColumn('Ed25519 public key that verifies interactions', 'system.security'),
    credential_id: systemColumn('credential holding the encrypted bot token', 'system.identifier'),
    bot_user_id: { category: 'third_party.identifier', purpose: "the bot's own Discord user id (a bot account, not a person)", subject: 'none', retention: WITH_BOT, erase: 'not-personal' },
    name: { category: 'third_party.identifier', purpose: "the bot account's name, shown in the dashboard", subject: 'none', retention: WITH_BOT, erase: 'not-personal' },
    avatar: { category: 'third_party.identifier', purpose: "the bot account's avatar hash", subject: 'none', retention: WITH_BOT, erase: 'not-personal' },
    features: systemColumn('features the bot uses (invite permissions)'),
    desired_state: systemColumn('running or stopped, as the workspace asked'),
    status: systemColumn('runtime status'),
    status_detail: systemColumn('why the status is what it is (e.g. the intent to enable)'),
    created_by: { category: 'user.identifier', purpose: 'who connected the bot (accountability)', subject: 'workspace_member', retention: WITH_BOT, erase: 'anonymize' },
    created_at: systemColumn('when the bot was connected'),
    updated_at: systemColumn('last change'),
  },
});

export const botCommandsInventory = defineTableInventory({
  table: 'bot_commands',
  module: 'bots',
  description: 'Commands and component handlers of a bot, each answered by a workflow',
  columns: {
    id: systemColumn('command id', 'system.identifier'),
    bot_id: systemColumn('bot', 'system.identifier'),
    workspace_id: systemColumn('owning workspace', 'system.identifier'),
    scope: systemColumn("'global' or the guild the command is registered in"),
    kind: systemColumn('slash, user, message or component'),
    name: systemColumn('command name or custom_id prefix'),
    description: systemColumn('command description shown in Discord'),
    options: systemColumn('command options, choices and autocomplete flags'),
    workflow_id: systemColumn('workflow that answers', 'system.identifier'),
    autocomplete_workflow_id: systemColumn('workflow that answers autocomplete', 'system.identifier'),
    is_ephemeral: systemColumn('replies visible to the invoking user only'),
    cooldown_seconds: systemColumn('per-user cooldown'),
    required_permissions: systemColumn('permissions the invoking member needs'),
    bot_permissions: systemColumn('permissions the bot needs for this command'),
    created_at: systemColumn('when the command was added'),
    updated_at: systemColumn('last change'),
  },
});

export const botCommandRegistrationsInventory = defineTableInventory({
  table: 'bot_command_registrations',
  module: 'bots',
  description: 'What was last registered with Discord per scope (hash), to skip identical bulk overwrites',
  columns: {
    bot_id: systemColumn('bot', 'system.identifier'),
    scope: systemColumn("'global' or a guild id"),
    commands_hash: systemColumn('SHA-256 of the canonical command set'),
    command_count: systemColumn('number of commands registered'),
    registered_at: systemColumn('when the set was sent to Discord'),
  },
});
