import type {
  Accepted,
  AccountReply,
  ApiTokenList,
  ApiTokenReply,
  ChangePasswordBody,
  CreateApiTokenBody,
  CreatedApiToken,
  DeleteAccountBody,
  DisableTotpBody,
  Done,
  EmailTokenBody,
  LogInBody,
  PasswordResetBody,
  PasswordResetRequestBody,
  RecoveryCodesReply,
  ReferralReply,
  SecurityEventList,
  SecurityEventReply,
  SessionList,
  SessionReply,
  SignedInReply,
  SignUpBody,
  TotpCodeBody,
  TotpEnrolmentReply,
  UpdateProfileBody,
} from '@weft/contracts';
import { api } from './api-client';

/** The signed-in account as its owner sees it (dates as ISO strings). */
export type Account = AccountReply;
export type { SignedInReply };
export type AccountSession = SessionReply;
export type ApiToken = ApiTokenReply;
export type SecurityEvent = SecurityEventReply;
export type TotpEnrolment = TotpEnrolmentReply;
export type Referral = ReferralReply;

/** Scopes an API token can carry (the ones routes ask for today). */
export const API_TOKEN_SCOPES = ['workflows:read', 'workflows:write', 'runs:read', 'runs:write', 'account:read', 'audit:read'] as const;

export const accountApi = {
  signUp: (body: SignUpBody) => api.post<SignedInReply>('/api/v1/auth/signup', body),
  logIn: (body: LogInBody) => api.post<SignedInReply>('/api/v1/auth/login', body),
  logOut: () => api.post<Done>('/api/v1/auth/logout'),
  verifyEmail: (token: string) => api.post<Done>('/api/v1/auth/verify-email', { token } satisfies EmailTokenBody),
  resendVerification: () => api.post<Accepted>('/api/v1/auth/verify-email/request'),
  requestPasswordReset: (email: string) => api.post<Accepted>('/api/v1/auth/password-reset/request', { email } satisfies PasswordResetRequestBody),
  resetPassword: (token: string, newPassword: string) => api.post<Done>('/api/v1/auth/password-reset', { token, newPassword } satisfies PasswordResetBody),

  findMe: (isAuthOptional = false) => api.get<Account>('/api/v1/me', { isAuthOptional }),
  updateProfile: (patch: UpdateProfileBody) => api.patch<Account>('/api/v1/me', patch),
  changePassword: (body: ChangePasswordBody) => api.post<Done>('/api/v1/me/password', body),
  deleteAccount: (body: DeleteAccountBody) => api.delete<Accepted>('/api/v1/me', body),

  listSessions: () => api.get<SessionList>('/api/v1/me/sessions'),
  revokeSession: (id: string) => api.delete<Done>(`/api/v1/me/sessions/${id}`),
  listSecurityEvents: () => api.get<SecurityEventList>('/api/v1/me/security-events'),
  showReferral: () => api.get<Referral>('/api/v1/me/referral'),

  startTotpEnrolment: () => api.post<TotpEnrolment>('/api/v1/me/2fa/totp'),
  confirmTotp: (code: string) => api.post<RecoveryCodesReply>('/api/v1/me/2fa/totp/confirm', { code } satisfies TotpCodeBody),
  disableTotp: (body: DisableTotpBody) => api.delete<Done>('/api/v1/me/2fa/totp', body),
  regenerateRecoveryCodes: (code: string) => api.post<RecoveryCodesReply>('/api/v1/me/2fa/recovery-codes', { code } satisfies TotpCodeBody),

  listApiTokens: () => api.get<ApiTokenList>('/api/v1/tokens'),
  createApiToken: (body: CreateApiTokenBody) => api.post<CreatedApiToken>('/api/v1/tokens', body),
  revokeApiToken: (id: string) => api.delete<Done>(`/api/v1/tokens/${id}`),
};
