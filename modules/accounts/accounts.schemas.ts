import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-policy';
import { USERNAME_PATTERN } from './username-policy';

/** Input fields. Length and shape are checked here (400 VALIDATION_FAILED); policy in the services. */
export const Email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email())
  .transform((value) => value.toLowerCase());
export const Username = z.string().regex(USERNAME_PATTERN, '3 to 32 characters: letters, digits, "_", "." or "-"');
export const Password = z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH);
/** A password being checked, not chosen: any length a user might have set, bounded against abuse. */
export const CurrentPassword = z.string().min(1).max(PASSWORD_MAX_LENGTH);
/** BCP 47 language tag, e.g. `en`, `pt-BR`. */
export const Locale = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/, 'a language tag such as en or pt-BR');
export const TotpCode = z.string().regex(/^\d{6}$/, 'six digits');
export const RecoveryCode = z.string().min(10).max(20);
export const EmailToken = z.string().min(20).max(200);
export const ReferralCode = z.string().regex(/^[A-Za-z0-9]{4,16}$/);
/** `resource:action` in lower case, e.g. `workflows:read`; each route names the scope it needs. */
export const SCOPE_PATTERN = /^[a-z][a-z-]*(:[a-z][a-z-]*)?$/;
export const Scope = z.string().regex(SCOPE_PATTERN, 'a scope such as workflows:read').max(64);

const isoDate = z.date().transform((date) => date.toISOString());
const nullableIsoDate = z
  .date()
  .nullable()
  .transform((date) => date?.toISOString() ?? null);

/** Replies. Each lists what may leave the server; anything else a service returns is dropped. */
export const AccountReply = z.object({
  id: z.string(),
  email: z.string(),
  isEmailVerified: z.boolean(),
  username: z.string(),
  locale: z.string(),
  isAdmin: z.boolean(),
  hasPassword: z.boolean(),
  isTotpEnabled: z.boolean(),
  isDiscordLinked: z.boolean(),
  createdAt: isoDate,
});

export const SignedInReply = z.object({ user: AccountReply, csrfToken: z.string() });

export const SessionReply = z.object({
  id: z.string(),
  device: z.string(),
  userAgent: z.string().nullable(),
  location: z.string().nullable(),
  createdAt: isoDate,
  lastSeenAt: isoDate,
  expiresAt: isoDate,
  isCurrent: z.boolean(),
});

export const ApiTokenReply = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  workspaceId: z.string(),
  scopes: z.array(z.string()),
  createdAt: isoDate,
  lastUsedAt: nullableIsoDate,
  expiresAt: nullableIsoDate,
});

export const Accepted = z.object({ status: z.literal('accepted') });
export const Done = z.object({ status: z.literal('ok') });
