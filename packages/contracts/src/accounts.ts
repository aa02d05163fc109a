import { z } from 'zod';
import { IsoDate } from './common';

/** Length bounds of a chosen password; how common it is is checked by modules/accounts (password-policy.ts). */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;
/** 3–32 letters, digits, `_`, `.` or `-`; reserved names are refused by modules/accounts (username-policy.ts). */
export const USERNAME_PATTERN = /^[a-zA-Z0-9_.-]{3,32}$/;
/** `resource:action` in lower case, e.g. `workflows:read`; each route names the scope it needs. */
export const SCOPE_PATTERN = /^[a-z][a-z-]*(:[a-z][a-z-]*)?$/;

/** Input fields. Length and shape are checked here (400 VALIDATION_FAILED); policy in modules/accounts. */
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
export const Scope = z.string().regex(SCOPE_PATTERN, 'a scope such as workflows:read').max(64);

/* ---------- Bodies and queries ---------- */

export const SignUpBody = z.object({ email: Email, username: Username, password: Password, ref: ReferralCode.optional() });
export type SignUpBody = z.input<typeof SignUpBody>;

/** `login` is an email address or a username; a code or a recovery code when 2FA is on. */
export const LogInBody = z.object({
  login: z.string().trim().min(1).max(254),
  password: CurrentPassword,
  totp: TotpCode.optional(),
  recoveryCode: RecoveryCode.optional(),
});
export type LogInBody = z.input<typeof LogInBody>;

/** The token of a mailed link: email verification or confirmation of a new address. */
export const EmailTokenBody = z.object({ token: EmailToken });
export type EmailTokenBody = z.input<typeof EmailTokenBody>;

export const PasswordResetRequestBody = z.object({ email: Email });
export type PasswordResetRequestBody = z.input<typeof PasswordResetRequestBody>;

export const PasswordResetBody = z.object({ token: EmailToken, newPassword: Password });
export type PasswordResetBody = z.input<typeof PasswordResetBody>;

/** The current password is required when the account has one (not for a Discord-only account). */
export const ChangeEmailBody = z.object({ email: Email, currentPassword: CurrentPassword.optional() });
export type ChangeEmailBody = z.input<typeof ChangeEmailBody>;

export const UnlinkDiscordBody = z.object({ currentPassword: CurrentPassword.optional() });
export type UnlinkDiscordBody = z.input<typeof UnlinkDiscordBody>;

export const UpdateProfileBody = z
  .object({ username: Username.optional(), locale: Locale.optional() })
  .refine((patch) => patch.username !== undefined || patch.locale !== undefined, 'name at least one of username, locale');
export type UpdateProfileBody = z.input<typeof UpdateProfileBody>;

export const ChangePasswordBody = z.object({ currentPassword: CurrentPassword.optional(), newPassword: Password });
export type ChangePasswordBody = z.input<typeof ChangePasswordBody>;

export const DeleteAccountBody = z.object({ password: CurrentPassword.optional(), totp: TotpCode.optional(), recoveryCode: RecoveryCode.optional() });
export type DeleteAccountBody = z.input<typeof DeleteAccountBody>;

/** `:id` of a session or an API token. */
export const AccountItemParams = z.object({ id: z.uuid() });
export type AccountItemParams = z.output<typeof AccountItemParams>;

export const TotpCodeBody = z.object({ code: TotpCode });
export type TotpCodeBody = z.input<typeof TotpCodeBody>;

export const DisableTotpBody = z
  .object({ password: CurrentPassword.optional(), code: TotpCode.optional(), recoveryCode: RecoveryCode.optional() })
  .refine((body) => body.code !== undefined || body.recoveryCode !== undefined, 'give code or recoveryCode');
export type DisableTotpBody = z.input<typeof DisableTotpBody>;

export const CreateApiTokenBody = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(Scope).min(1).max(50),
  /** Id or slug of a workspace the user belongs to. */
  workspaceId: z.string().min(1).max(100),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});
export type CreateApiTokenBody = z.input<typeof CreateApiTokenBody>;

/** `link=true` links Discord to the signed-in account instead of signing in. */
export const DiscordSignInQuery = z.object({ link: z.enum(['true', 'false']).optional(), ref: ReferralCode.optional() });
export type DiscordSignInQuery = z.input<typeof DiscordSignInQuery>;

/** What Discord appends to the redirect URI (RFC 6749 §4.1.2, §4.1.2.1). */
export const DiscordCallbackQuery = z.object({ code: z.string().max(512).optional(), state: z.string().max(512).optional(), error: z.string().max(200).optional() });
export type DiscordCallbackQuery = z.input<typeof DiscordCallbackQuery>;

/* ---------- Replies: each lists what may leave the server; anything else a service returns is dropped ---------- */

/** The account as its owner sees it: never the password hash, TOTP secret or Discord tokens. */
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
  createdAt: IsoDate,
});
export type AccountReply = z.output<typeof AccountReply>;

export const SignedInReply = z.object({ user: AccountReply, csrfToken: z.string() });
export type SignedInReply = z.output<typeof SignedInReply>;

export const CsrfReply = z.object({ csrfToken: z.string() });
export type CsrfReply = z.output<typeof CsrfReply>;

export const SessionReply = z.object({
  id: z.string(),
  device: z.string(),
  userAgent: z.string().nullable(),
  location: z.string().nullable(),
  createdAt: IsoDate,
  lastSeenAt: IsoDate,
  expiresAt: IsoDate,
  isCurrent: z.boolean(),
});
export type SessionReply = z.output<typeof SessionReply>;

export const SessionList = z.object({ items: z.array(SessionReply) });
export type SessionList = z.output<typeof SessionList>;

export const SecurityEventReply = z.object({ kind: z.string(), device: z.string(), at: IsoDate });
export type SecurityEventReply = z.output<typeof SecurityEventReply>;

export const SecurityEventList = z.object({ items: z.array(SecurityEventReply) });
export type SecurityEventList = z.output<typeof SecurityEventList>;

export const ReferralReply = z.object({ code: z.string(), link: z.string(), referredCount: z.number().int() });
export type ReferralReply = z.output<typeof ReferralReply>;

/** An API token without its secret (only a prefix to recognise it by). */
export const ApiTokenReply = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  workspaceId: z.string(),
  scopes: z.array(z.string()),
  createdAt: IsoDate,
  lastUsedAt: IsoDate.nullable(),
  expiresAt: IsoDate.nullable(),
});
export type ApiTokenReply = z.output<typeof ApiTokenReply>;

export const ApiTokenList = z.object({ items: z.array(ApiTokenReply) });
export type ApiTokenList = z.output<typeof ApiTokenList>;

/** The one reply that carries a token's secret (`weft_…`): shown once, only its hash is kept. */
export const CreatedApiToken = z.object({ token: ApiTokenReply, secret: z.string() });
export type CreatedApiToken = z.output<typeof CreatedApiToken>;

/** TOTP enrolment, shown once: the secret as otpauth URI, QR code (data URL) and text. */
export const TotpEnrolmentReply = z.object({ secret: z.string(), otpauthUri: z.string(), qrCodeDataUrl: z.string() });
export type TotpEnrolmentReply = z.output<typeof TotpEnrolmentReply>;

export const RecoveryCodesReply = z.object({
  /** Shown this once: only their hashes are kept. */
  recoveryCodes: z.array(z.string()),
});
export type RecoveryCodesReply = z.output<typeof RecoveryCodesReply>;

/**
 * A redirect (302) declared like any reply, with an empty body, rather than
 * sent with `reply.redirect`, so the route layer sets the status itself.
 */
export const Redirected = z.object({});
export type Redirected = z.output<typeof Redirected>;

/** 202: the request is taken (a mail goes out, an erasure is scheduled). */
export const Accepted = z.object({ status: z.literal('accepted') });
export type Accepted = z.output<typeof Accepted>;

export const Done = z.object({ status: z.literal('ok') });
export type Done = z.output<typeof Done>;
