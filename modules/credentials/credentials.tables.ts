import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { defineTableInventory, systemColumn } from '@weft/kernel';

/**
 * One random data key per workspace, stored only wrapped (AES-256-GCM) under
 * the master key version `key_version`, with `workspace-key:<workspace id>` as
 * associated data so a wrapped key cannot be moved to another workspace.
 * Master-key rotation rewrites `wrapped_key` and `key_version`, nothing else.
 */
export const workspaceKeys = pgTable('workspace_keys', {
  // Workspaces belong to the workspaces module: no foreign key across module borders.
  workspaceId: uuid('workspace_id').primaryKey(),
  keyVersion: integer('key_version').notNull(),
  wrappedKey: text('wrapped_key').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  rotatedAt: timestamp('rotated_at', { withTimezone: true }),
});

/**
 * `ciphertext` is the sealed JSON of the secret fields under the workspace's
 * data key with `credential:<id>` as associated data: a ciphertext copied onto
 * another row, or into another workspace, does not open.
 */
export const credentials = pgTable(
  'credentials',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaceKeys.workspaceId),
    type: text('type').notNull(),
    name: text('name').notNull(),
    ciphertext: text('ciphertext').notNull(),
    publicFields: jsonb('public_fields').notNull().default({}),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('credentials_workspace_name_idx').on(t.workspaceId, t.name),
    index('credentials_created_by_idx').on(t.createdBy),
    check('credentials_name_length', sql`char_length(${t.name}) BETWEEN 1 AND 100`),
  ],
);

const WHILE_KEPT = 'until the workspace deletes the credential';

export const workspaceKeysInventory = defineTableInventory({
  table: 'workspace_keys',
  module: 'credentials',
  description: 'Encryption key of each workspace, itself encrypted under the instance master key',
  columns: {
    workspace_id: systemColumn('workspace the key belongs to', 'system.identifier'),
    key_version: systemColumn('master key version that wraps the key', 'system.security'),
    wrapped_key: systemColumn('the data key, encrypted (AES-256-GCM) under the master key', 'system.security'),
    created_at: systemColumn('when the key was made'),
    rotated_at: systemColumn('last re-wrap under a new master key', 'system.security'),
  },
});

export const credentialsInventory = defineTableInventory({
  table: 'credentials',
  module: 'credentials',
  description: 'Credentials a workspace stores for its workflows (API keys, passwords, tokens), secrets encrypted',
  columns: {
    id: systemColumn('credential id', 'system.identifier'),
    workspace_id: systemColumn('owning workspace', 'system.identifier'),
    type: systemColumn('credential type (api-key, smtp …)'),
    // Workspace property: a member's erasure leaves the team's credentials working.
    name: systemColumn('label chosen by the workspace; workspace property, deleted with the credential'),
    ciphertext: systemColumn(
      'secret fields, encrypted (AES-256-GCM) under the workspace key; workspace property, deleted with the credential',
      'system.security',
    ),
    public_fields: {
      category: 'third_party.identifier',
      purpose: 'non-secret settings of a third-party account (user name, client id, token URL), shown again in the editor',
      subject: 'none',
      retention: WHILE_KEPT,
      erase: 'not-personal',
    },
    created_by: {
      category: 'user.identifier',
      purpose: 'who added the credential (accountability)',
      subject: 'workspace_member',
      retention: WHILE_KEPT,
      erase: 'anonymize',
    },
    created_at: systemColumn('when the credential was added'),
    updated_at: systemColumn('last change of name or secret'),
    last_used_at: systemColumn('last time a run used it (spot unused credentials)'),
  },
});

export const credentialsInventories = [workspaceKeysInventory, credentialsInventory];
