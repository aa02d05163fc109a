import type { MailMessage } from '@weft/mailer';

/**
 * The mails the accounts module sends. Plain text only: it reads everywhere,
 * and a link is the whole point of most of them.
 */
export function composeVerifyEmailMail(to: string, username: string, link: string): MailMessage {
  return {
    to,
    subject: 'Confirm your email address',
    text: `Hello ${username},\n\nConfirm your email address for Weft by opening this link within 24 hours:\n\n${link}\n\nIf you did not sign up, ignore this mail.\n`,
  };
}

export function composeResetPasswordMail(to: string, username: string, link: string): MailMessage {
  return {
    to,
    subject: 'Reset your password',
    text: `Hello ${username},\n\nSomeone asked to reset the password of your Weft account. To choose a new password, open this link within one hour:\n\n${link}\n\nIf it was not you, ignore this mail: your password stays as it is.\n`,
  };
}

export function composeConfirmEmailChangeMail(to: string, username: string, link: string): MailMessage {
  return {
    to,
    subject: 'Confirm your new email address',
    text: `Hello ${username},\n\nYou asked to use this address for your Weft account. Confirm it by opening this link within 24 hours:\n\n${link}\n\nUntil then your account keeps its current address. If you did not ask for this, ignore this mail.\n`,
  };
}

const SECURITY_NOTICES = {
  'email.change-requested': 'Someone asked to change the email address of your account. It changes only when the new address is confirmed.',
  'email.changed': 'The email address of your account was changed. Mail now goes to the new address.',
  'discord.unlinked': 'The Discord account linked to your account was unlinked; it can no longer be used to sign in.',
  'login.new-device': 'Someone signed in to your account from a device or network we had not seen before.',
  'password.changed': 'The password of your account was changed.',
  'password.reset': 'The password of your account was reset through a mailed link. Every session was signed out.',
  'totp.enabled': 'Two-factor authentication was turned on for your account.',
  'totp.disabled': 'Two-factor authentication was turned off for your account.',
  'recovery-codes.regenerated': 'New two-factor recovery codes were generated; the old ones no longer work.',
  'discord.linked': 'A Discord account was linked to your account; it can now be used to sign in.',
  'account.deleted': 'Your account was deleted. Your data is being erased.',
} as const satisfies Record<string, string>;

export type SecurityEventKind = keyof typeof SECURITY_NOTICES;

export function composeSecurityNoticeMail(
  to: string,
  username: string,
  kind: SecurityEventKind,
  details: { at: Date; device: string },
): MailMessage {
  const notice = SECURITY_NOTICES[kind];
  return {
    to,
    subject: 'Security notice for your Weft account',
    text: `Hello ${username},\n\n${notice}\n\nWhen: ${details.at.toISOString()}\nDevice: ${details.device}\n\nIf this was you, there is nothing to do. If not, reset your password and review your sessions in the account settings.\n`,
  };
}
