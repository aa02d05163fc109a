import { sql } from 'drizzle-orm';
import { check, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { defineTableInventory, systemColumn } from '@weft/kernel';

/**
 * A workspace owns every workflow, run, bot and credential. Its slug is its
 * subdomain for webhooks and hosted pages, so it stays taken after a soft
 * delete: handing a deleted team's subdomain to someone else would let them
 * receive webhooks still aimed at it.
 */
export const workspaces = pgTable(
  'workspaces',
  {
    id: uuid('id').primaryKey(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['personal', 'team'] }).notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('workspaces_slug_idx').on(t.slug),
    index('workspaces_created_by_idx').on(t.createdBy),
    // The service validates too; the database is the last line for rows written by other paths.
    check('workspaces_slug_format', sql`${t.slug} ~ '^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$'`),
    check('workspaces_kind_valid', sql`${t.kind} IN ('personal', 'team')`),
    check('workspaces_name_length', sql`char_length(${t.name}) BETWEEN 1 AND 80`),
  ],
);

export const memberships = pgTable(
  'memberships',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    // Users belong to the accounts module: no foreign key across module borders.
    userId: text('user_id').notNull(),
    role: text('role', { enum: ['owner', 'admin', 'member', 'viewer'] }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.userId] }),
    index('memberships_user_idx').on(t.userId),
    check('memberships_role_valid', sql`${t.role} IN ('owner', 'admin', 'member', 'viewer')`),
  ],
);

/**
 * Only the SHA-256 of an invitation token is stored; the token itself exists
 * in the email alone, so a read of this table cannot be turned into a join.
 */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: text('role', { enum: ['admin', 'member', 'viewer'] }).notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedBy: text('invited_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    acceptedBy: text('accepted_by'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('invitations_token_hash_idx').on(t.tokenHash),
    index('invitations_workspace_idx').on(t.workspaceId, t.createdAt),
    index('invitations_email_idx').on(t.email),
    index('invitations_expires_idx').on(t.expiresAt),
    check('invitations_role_valid', sql`${t.role} IN ('admin', 'member', 'viewer')`),
    check('invitations_email_lowercase', sql`${t.email} = lower(${t.email})`),
  ],
);

const UNTIL_ERASURE = 'until the workspace or the account is deleted';

export const workspacesInventory = defineTableInventory({
  table: 'workspaces',
  module: 'workspaces',
  description: 'Personal and team workspaces: the owner of every workflow, bot and credential',
  columns: {
    id: systemColumn('workspace id', 'system.identifier'),
    slug: {
      category: 'user.identifier',
      purpose: 'subdomain of the workspace; a personal workspace derives it from the username',
      subject: 'user',
      retention: UNTIL_ERASURE,
      erase: 'delete',
    },
    name: {
      category: 'user.content',
      purpose: 'display name chosen by the owner; a personal workspace is named after the username',
      subject: 'user',
      retention: UNTIL_ERASURE,
      erase: 'delete',
    },
    kind: systemColumn('personal or team'),
    created_by: {
      category: 'user.identifier',
      purpose: 'who created the workspace (accountability)',
      subject: 'user',
      retention: UNTIL_ERASURE,
      erase: 'anonymize',
    },
    created_at: systemColumn('when the workspace was created'),
    deleted_at: systemColumn('when a team workspace was deleted (its slug stays reserved)'),
  },
});

export const membershipsInventory = defineTableInventory({
  table: 'memberships',
  module: 'workspaces',
  description: 'Who belongs to which workspace, with which role',
  columns: {
    workspace_id: systemColumn('workspace', 'system.identifier'),
    user_id: {
      category: 'user.identifier',
      purpose: 'membership and access control',
      subject: 'workspace_member',
      retention: 'while a member',
      erase: 'delete',
    },
    role: {
      category: 'user.behavior',
      purpose: 'access control: what the member may do',
      subject: 'workspace_member',
      retention: 'while a member',
      erase: 'delete',
    },
    created_at: {
      category: 'user.behavior',
      purpose: 'when the member joined; picks the successor when the last owner is erased',
      subject: 'workspace_member',
      retention: 'while a member',
      erase: 'delete',
    },
  },
});

export const invitationsInventory = defineTableInventory({
  table: 'invitations',
  module: 'workspaces',
  description: 'Invitations to join a workspace, sent by email',
  columns: {
    id: systemColumn('invitation id', 'system.identifier'),
    workspace_id: systemColumn('workspace invited to', 'system.identifier'),
    email: {
      category: 'user.contact.email',
      purpose: 'deliver the invitation and check that the right person accepts it',
      subject: 'user',
      retention: '30 days after expiry',
      erase: 'delete',
    },
    role: systemColumn('role granted on acceptance', 'system.security'),
    token_hash: systemColumn('SHA-256 of the emailed token; the token is never stored', 'system.security'),
    invited_by: {
      category: 'user.identifier',
      purpose: 'who sent the invitation (shown to admins, accountability)',
      subject: 'workspace_member',
      retention: '30 days after expiry',
      erase: 'anonymize',
    },
    created_at: systemColumn('when the invitation was sent'),
    expires_at: systemColumn('end of validity (7 days); purged 30 days later'),
    accepted_at: systemColumn('when it was used', 'system.security'),
    accepted_by: {
      category: 'user.identifier',
      purpose: 'who used the invitation (single use)',
      subject: 'user',
      retention: '30 days after expiry',
      erase: 'delete',
    },
    revoked_at: systemColumn('when an admin withdrew it', 'system.security'),
  },
});

export const workspacesInventories = [workspacesInventory, membershipsInventory, invitationsInventory];
