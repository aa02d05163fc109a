import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { defineTableInventory, systemColumn } from '@weft/kernel';
import { personal, users } from './accounts.tables';

/**
 * Browser sessions. The cookie holds a random token; only its SHA-256 is
 * stored, so a copy of the table signs nobody in.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    /** Slides forward (30 days) while the session is used. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** Keyed hash of the /24 (IPv4) or /48 (IPv6) network, never the address. */
    ipHash: text('ip_hash'),
    userAgent: text('user_agent'),
    /**
     * Approximate location for the session list, from a trusted reverse
     * proxy's header (WEFT_GEO_HEADER, e.g. Cloudflare's cf-ipcountry): a
     * self-hosted install ships no GeoIP database. Null without one.
     */
    location: text('location'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('sessions_token_hash_key').on(t.tokenHash), index('sessions_user_idx').on(t.userId)],
);

/** Personal API tokens, each bound to one workspace and a list of scopes; stored hashed. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    workspaceId: uuid('workspace_id').notNull(),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    /** First characters of the token, so the user can tell tokens apart. */
    prefix: text('prefix').notNull(),
    scopes: text('scopes').array().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_tokens_token_hash_key').on(t.tokenHash), index('api_tokens_user_idx').on(t.userId)],
);

const SESSION_RETENTION = '30 days after the session ends';
const TOKEN_RETENTION = 'until revoked or expired, then 30 days';

export const sessionsInventory = defineTableInventory({
  table: 'sessions',
  module: 'accounts',
  description: 'Signed-in browser sessions, listed and revocable by their owner',
  columns: {
    id: systemColumn('session id', 'system.identifier'),
    user_id: personal('user.identifier', 'whose session it is', SESSION_RETENTION, 'delete'),
    token_hash: personal('user.authorization.credentials', 'recognise the session cookie (SHA-256, never the token)', SESSION_RETENTION, 'delete'),
    created_at: personal('user.behavior', 'show when the user signed in', SESSION_RETENTION, 'delete'),
    last_seen_at: personal('user.behavior', 'show when the session was last used; sliding expiry', SESSION_RETENTION, 'delete'),
    expires_at: systemColumn('when the session ends unless used', 'system.security'),
    ip_hash: personal('user.device.ip_address', 'spot sign-ins from a new network (keyed hash of the truncated address)', SESSION_RETENTION, 'delete'),
    user_agent: personal('user.device.user_agent', 'show the device in the session list; spot new devices', SESSION_RETENTION, 'delete'),
    location: personal('user.location', 'approximate location in the session list, from a trusted proxy header (WEFT_GEO_HEADER); empty without one', SESSION_RETENTION, 'delete'),
    revoked_at: systemColumn('when the session was signed out or revoked', 'system.security'),
  },
});

export const apiTokensInventory = defineTableInventory({
  table: 'api_tokens',
  module: 'accounts',
  description: 'Personal API tokens for scripts and integrations (hashed)',
  columns: {
    id: systemColumn('token id', 'system.identifier'),
    user_id: personal('user.identifier', 'whose token it is', TOKEN_RETENTION, 'delete'),
    workspace_id: systemColumn('workspace the token is limited to', 'system.identifier'),
    name: personal('user.content', 'label the user gave the token', TOKEN_RETENTION, 'delete'),
    token_hash: personal('user.authorization.credentials', 'recognise the token (SHA-256, never the token)', TOKEN_RETENTION, 'delete'),
    prefix: personal('user.authorization.credentials', 'first characters, to tell tokens apart (not enough to use one)', TOKEN_RETENTION, 'delete'),
    scopes: systemColumn('what the token may do', 'system.security'),
    created_at: systemColumn('when the token was created'),
    last_used_at: personal('user.behavior', 'show whether a token is still in use', TOKEN_RETENTION, 'delete'),
    expires_at: systemColumn('when the token stops working', 'system.security'),
    revoked_at: systemColumn('when the token was revoked', 'system.security'),
  },
});
