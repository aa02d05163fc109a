/**
 * Domain events written to the outbox in the transaction of the change.
 * Payloads carry ids only; subscribers ask `api.findUsersByIds` for more.
 */
export const AccountsEvents = {
  userSignedUp: 'accounts.user.signed-up',
  userDeactivated: 'accounts.user.deactivated',
} as const;

export type SignUpMethod = 'password' | 'discord' | 'admin';

export interface UserSignedUpPayload {
  userId: string;
  method: SignUpMethod;
  referredBy: string | null;
}

export interface UserDeactivatedPayload {
  userId: string;
}
