import { randomBytes } from 'node:crypto';
import { AppError, isUuid } from '@weft/kernel';
import { WORKSPACE_SLUG_PATTERN } from '@weft/contracts';
import { WorkspaceErrors } from './workspaces.errors';

const SLUG_MAX = 40;

/**
 * Subdomains and paths the platform uses or may use, and names that would let
 * a workspace pass itself off as the operator.
 */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'about', 'account', 'accounts', 'admin', 'administrator', 'api', 'app', 'apps', 'assets', 'auth',
  'billing', 'blog', 'cdn', 'changelog', 'dashboard', 'dev', 'discord', 'docs', 'download', 'email',
  'ftp', 'help', 'hooks', 'imap', 'internal', 'invitations', 'legal', 'localhost', 'login', 'logout',
  'mail', 'marketplace', 'mx', 'new', 'ns1', 'ns2', 'null', 'oauth', 'pop', 'privacy', 'root', 'security',
  'settings', 'signin', 'signup', 'smtp', 'staging', 'static', 'status', 'support', 'system', 'terms',
  'undefined', 'webhook', 'webhooks', 'weft', 'workspace', 'workspaces', 'www',
]);

/** The service's own check: routes validate the format too, but the API can be called directly. */
export function assertSlugAllowed(slug: string): void {
  // A slug shaped like a UUID would be read as a workspace id by requireWorkspaceAccess.
  if (!WORKSPACE_SLUG_PATTERN.test(slug) || isUuid(slug)) {
    throw new AppError(WorkspaceErrors.WORKSPACE_SLUG_INVALID, 'This slug is not allowed', { slug });
  }
  if (RESERVED_SLUGS.has(slug)) {
    throw new AppError(WorkspaceErrors.WORKSPACE_SLUG_RESERVED, 'This slug is reserved', { slug });
  }
}

/**
 * The slug a personal workspace starts from: the username folded into the
 * slug alphabet. Too short, reserved or empty bases are padded with a random
 * suffix by `suffixSlug`.
 */
export function deriveSlugBase(username: string): string {
  return username
    .normalize('NFKD')
    .replace(/\p{Mn}/gu, '') // accents split off by NFKD: "é" becomes "e", not "e-"
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX)
    .replace(/-+$/, '');
}

export function isSlugUsable(slug: string): boolean {
  return WORKSPACE_SLUG_PATTERN.test(slug) && !isUuid(slug) && !RESERVED_SLUGS.has(slug);
}

const SUFFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `base-xxxx` with a random suffix, cutting the base so the whole stays within 40 characters. */
export function suffixSlug(base: string, suffixLength = 4): string {
  const suffix = [...randomBytes(suffixLength)].map((byte) => SUFFIX_ALPHABET[byte % SUFFIX_ALPHABET.length]).join('');
  const head = base.slice(0, SLUG_MAX - suffixLength - 1).replace(/-+$/, '');
  return head ? `${head}-${suffix}` : `w-${suffix}`;
}
