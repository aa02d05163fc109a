import { bigint, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { defineTableInventory, systemColumn } from '@weft/kernel';
import { personal, users } from './accounts.tables';

/**
 * TOTP second factor. The secret is sealed with AES-256-GCM under a key
 * derived from the master key of `key_version`, so rotating the master key
 * leaves existing factors readable.
 */
export const totpFactors = pgTable('totp_factors', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  secretCiphertext: text('secret_ciphertext').notNull(),
  keyVersion: integer('key_version').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  /** Null while enrolment waits for the first correct code. */
  confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
  /** Last accepted 30-second step: a code is accepted once (RFC 6238 §5.2). */
  lastUsedStep: bigint('last_used_step', { mode: 'number' }),
});

/** One-time recovery codes, SHA-256 hashed (they carry 50 bits of randomness each). */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.codeHash] })],
);

/**
 * Failed sign-in counters shared by every server process, keyed by
 * `account:<user id>`, `login:<hash of an unknown login>` or `ip:<network hash>`.
 */
export const loginThrottles = pgTable('login_throttles', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

export const securityEvents = pgTable(
  'security_events',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    ipHash: text('ip_hash'),
    userAgent: text('user_agent'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('security_events_user_idx').on(t.userId, t.createdAt)],
);

export const totpFactorsInventory = defineTableInventory({
  table: 'totp_factors',
  module: 'accounts',
  description: 'Authenticator-app second factor (secret encrypted)',
  columns: {
    user_id: personal('user.identifier', 'whose second factor it is', 'until 2FA is disabled or account deletion', 'delete'),
    secret_ciphertext: personal('user.authorization.credentials', 'check authenticator codes (AES-256-GCM encrypted)', 'until 2FA is disabled or account deletion', 'delete'),
    key_version: systemColumn('master key version that seals the secret', 'system.security'),
    created_at: systemColumn('when enrolment started'),
    confirmed_at: systemColumn('when 2FA was switched on', 'system.security'),
    last_used_step: systemColumn('last accepted code step (replay protection)', 'system.security'),
  },
});

export const recoveryCodesInventory = defineTableInventory({
  table: 'recovery_codes',
  module: 'accounts',
  description: 'One-time 2FA recovery codes (hashed)',
  columns: {
    user_id: personal('user.identifier', 'whose code it is', 'until regenerated, 2FA disabled or account deletion', 'delete'),
    code_hash: personal('user.authorization.credentials', 'check a recovery code (SHA-256, never the code)', 'until regenerated, 2FA disabled or account deletion', 'delete'),
    created_at: systemColumn('when the code was issued'),
    used_at: systemColumn('when the code was used (single use)', 'system.security'),
  },
});

export const loginThrottlesInventory = defineTableInventory({
  table: 'login_throttles',
  module: 'accounts',
  description: 'Failed sign-in counters and lockouts per account and per network',
  columns: {
    key: personal('user.identifier', 'count failures per account or network (ids and keyed hashes only)', '24 hours after the last failure', 'delete'),
    failures: systemColumn('failed attempts in a row', 'system.security'),
    locked_until: systemColumn('end of the current lockout', 'system.security'),
    updated_at: systemColumn('last failure', 'system.security'),
  },
});

export const securityEventsInventory = defineTableInventory({
  table: 'security_events',
  module: 'accounts',
  description: 'Security-relevant account events shown and mailed to the user',
  columns: {
    id: systemColumn('event id', 'system.identifier'),
    user_id: personal('user.identifier', 'whose account the event is about', '1 year', 'delete'),
    kind: personal('user.behavior', 'what happened (new sign-in, 2FA or password change)', '1 year', 'delete'),
    ip_hash: personal('user.device.ip_address', 'from which network (keyed hash of the truncated address)', '1 year', 'delete'),
    user_agent: personal('user.device.user_agent', 'from which device', '1 year', 'delete'),
    created_at: systemColumn('when', 'system.security'),
  },
});
