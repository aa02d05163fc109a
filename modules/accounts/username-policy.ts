import { USERNAME_PATTERN } from '@weft/contracts';

/**
 * Usernames are public handles (and may become part of a workspace address),
 * so names that could pass for staff, the instance itself or a route are refused.
 */
export { USERNAME_PATTERN };

const RESERVED_USERNAMES = new Set([
  'abuse', 'account', 'accounts', 'admin', 'administrator', 'anonymous', 'api', 'app', 'apps', 'assets',
  'auth', 'billing', 'blog', 'bot', 'bots', 'contact', 'dashboard', 'discord', 'docs', 'erased', 'help',
  'hostmaster', 'info', 'invite', 'login', 'logout', 'mail', 'marketplace', 'me', 'mod', 'moderator',
  'new', 'no-reply', 'noreply', 'null', 'oauth', 'official', 'owner', 'postmaster', 'privacy', 'root',
  'security', 'settings', 'signin', 'signup', 'staff', 'static', 'status', 'support', 'sysadmin', 'system',
  'team', 'terms', 'undefined', 'webhook', 'webhooks', 'webmaster', 'weft', 'workspace', 'workspaces', 'www',
]);

/** Anonymized accounts are renamed `erased-…`; nobody may pick a name that looks like one. */
const ERASED_PREFIX = 'erased-';

export function isUsernameReserved(username: string): boolean {
  const lower = username.toLowerCase();
  return RESERVED_USERNAMES.has(lower) || lower.startsWith(ERASED_PREFIX);
}

export function toErasedUsername(userId: string): string {
  // The whole id: unique by construction, and longer than a chosen username may be.
  return `${ERASED_PREFIX}${userId.replace(/-/g, '')}`;
}

/**
 * A valid, free-looking username from a Discord name: invalid characters
 * dropped, padded or cut to fit. The caller adds a numeric suffix on conflict.
 */
export function toUsernameCandidate(name: string): string {
  let candidate = name.replace(/[^a-zA-Z0-9_.-]/g, '').slice(0, 28);
  if (candidate.length < 3) candidate = `user${candidate}`;
  if (isUsernameReserved(candidate)) candidate = `${candidate.slice(0, 24)}-user`;
  return candidate;
}
