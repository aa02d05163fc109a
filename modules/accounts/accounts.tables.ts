import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { defineTableInventory, systemColumn, type ColumnInventory, type DataCategory } from '@weft/kernel';

/**
 * Accounts, their Discord links and their single-use email tokens. Users are
 * never deleted: erasure anonymizes the row so that other modules' references
 * (workspaces, invoices kept by law) still point at a row.
 */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    /** Always stored lower-cased; unique. */
    email: text('email').notNull(),
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
    /** As the user typed it, for display. */
    username: text('username').notNull(),
    /** Lower-cased copy: usernames are unique case-insensitively. */
    usernameLower: text('username_lower').notNull(),
    /** argon2id PHC string; null for accounts that only sign in through Discord. */
    passwordHash: text('password_hash'),
    isAdmin: boolean('is_admin').notNull().default(false),
    discordId: text('discord_id'),
    locale: text('locale').notNull().default('en'),
    referralCode: text('referral_code').notNull(),
    referredBy: uuid('referred_by').references((): AnyPgColumn => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastActiveAt: timestamp('last_active_at', { withTimezone: true }),
    /** Set when the user deletes the account: sign-in stops at once, erasure follows. */
    deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
    /** Set when erasure has anonymized the row. */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('users_email_key').on(t.email),
    uniqueIndex('users_username_lower_key').on(t.usernameLower),
    uniqueIndex('users_discord_id_key').on(t.discordId).where(sql`${t.discordId} IS NOT NULL`),
    uniqueIndex('users_referral_code_key').on(t.referralCode),
    index('users_referred_by_idx').on(t.referredBy),
  ],
);

export const oauthAccounts = pgTable(
  'oauth_accounts',
  {
    provider: text('provider').notNull(),
    providerUserId: text('provider_user_id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerUserId] }), uniqueIndex('oauth_accounts_user_key').on(t.provider, t.userId)],
);

/** Email verification and password reset tokens: only the SHA-256 of the token is stored. */
export const emailTokens = pgTable(
  'email_tokens',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: ['verify-email', 'reset-password', 'change-email'] }).notNull(),
    tokenHash: text('token_hash').notNull(),
    /** For 'change-email': the address the link confirms. */
    newEmail: text('new_email'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('email_tokens_token_hash_key').on(t.tokenHash), index('email_tokens_user_idx').on(t.userId)],
);

/** Inventory shorthand for a column about the account holder. */
export function personal(category: DataCategory, purpose: string, retention: string, erase: ColumnInventory['erase']): ColumnInventory {
  return { category, purpose, subject: 'user', retention, erase };
}

const UNTIL_DELETION = 'until account deletion';

export const usersInventory = defineTableInventory({
  table: 'users',
  module: 'accounts',
  description: 'User accounts: how a person signs in and is addressed',
  columns: {
    // Kept after erasure: the anonymized row still answers other modules' references.
    id: systemColumn('account id', 'system.identifier'),
    email: personal('user.contact.email', 'sign-in, verification, password reset and security notices', UNTIL_DELETION, 'anonymize'),
    email_verified_at: personal('user.behavior', 'know the address belongs to the user', UNTIL_DELETION, 'delete'),
    username: personal('user.name', 'public handle shown to other users', UNTIL_DELETION, 'anonymize'),
    username_lower: personal('user.name', 'case-insensitive uniqueness of the handle', UNTIL_DELETION, 'anonymize'),
    password_hash: personal('user.authorization.credentials', 'check the password (argon2id hash, never the password)', UNTIL_DELETION, 'delete'),
    is_admin: systemColumn('instance administrator flag', 'system.security'),
    discord_id: personal('user.identifier', 'sign in with Discord', 'until unlinked or account deletion', 'delete'),
    locale: personal('user.preferences', 'language of mail and the dashboard', UNTIL_DELETION, 'delete'),
    referral_code: personal('user.identifier', 'referral link of the user', UNTIL_DELETION, 'anonymize'),
    referred_by: personal('user.identifier', 'who referred the user (future referral rewards)', UNTIL_DELETION, 'delete'),
    created_at: systemColumn('when the account was created'),
    last_active_at: personal('user.behavior', 'find inactive accounts for the retention notice', UNTIL_DELETION, 'delete'),
    deactivated_at: systemColumn('when the user deleted the account', 'system.security'),
    deleted_at: systemColumn('when the account was erased', 'system.security'),
  },
});

export const oauthAccountsInventory = defineTableInventory({
  table: 'oauth_accounts',
  module: 'accounts',
  description: 'External sign-in identities (Discord) linked to an account',
  columns: {
    provider: systemColumn('identity provider, e.g. discord'),
    provider_user_id: personal('third_party.identifier', 'recognise the user when they sign in with Discord', 'until unlinked or account deletion', 'delete'),
    user_id: personal('user.identifier', 'account the identity belongs to', 'until unlinked or account deletion', 'delete'),
    created_at: systemColumn('when the identity was linked'),
  },
});

export const emailTokensInventory = defineTableInventory({
  table: 'email_tokens',
  module: 'accounts',
  description: 'Single-use email verification, password reset and email change tokens (hashed)',
  columns: {
    id: systemColumn('token id', 'system.identifier'),
    user_id: personal('user.identifier', 'account the token acts on', '1 day after expiry', 'delete'),
    purpose: systemColumn('verify-email, reset-password or change-email'),
    new_email: personal('user.contact.email', 'the address an email change waits to confirm', '1 day after expiry', 'delete'),
    token_hash: personal('user.authorization.credentials', 'check a token from a mailed link (SHA-256, never the token)', '1 day after expiry', 'delete'),
    created_at: systemColumn('when the token was issued'),
    expires_at: systemColumn('when the token stops working', 'system.security'),
    used_at: systemColumn('when the token was used (single use)', 'system.security'),
  },
});
