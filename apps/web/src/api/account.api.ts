import { api } from './api-client';

/** Shapes of modules/accounts/accounts.schemas.ts replies (dates as ISO strings). */
export interface Account {
  id: string;
  email: string;
  isEmailVerified: boolean;
  username: string;
  locale: string;
  isAdmin: boolean;
  hasPassword: boolean;
  isTotpEnabled: boolean;
  isDiscordLinked: boolean;
  createdAt: string;
}

export interface SignedInReply {
  user: Account;
  csrfToken: string;
}

export interface AccountSession {
  id: string;
  device: string;
  userAgent: string | null;
  location: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  isCurrent: boolean;
}

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  workspaceId: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

export interface SecurityEvent {
  kind: string;
  device: string;
  at: string;
}

export interface TotpEnrolment {
  secret: string;
  otpauthUri: string;
  qrCodeDataUrl: string;
}

export interface Referral {
  code: string;
  link: string;
  referredCount: number;
}

/** Scopes an API token can carry (the ones routes ask for today). */
export const API_TOKEN_SCOPES = ['workflows:read', 'workflows:write', 'runs:read', 'runs:write', 'account:read', 'audit:read'] as const;

export const accountApi = {
  signUp: (body: { email: string; username: string; password: string; ref?: string }) => api.post<SignedInReply>('/api/v1/auth/signup', body),
  logIn: (body: { login: string; password: string; totp?: string; recoveryCode?: string }) => api.post<SignedInReply>('/api/v1/auth/login', body),
  logOut: () => api.post<{ status: 'ok' }>('/api/v1/auth/logout'),
  verifyEmail: (token: string) => api.post<{ status: 'ok' }>('/api/v1/auth/verify-email', { token }),
  resendVerification: () => api.post<{ status: 'accepted' }>('/api/v1/auth/verify-email/request'),
  requestPasswordReset: (email: string) => api.post<{ status: 'accepted' }>('/api/v1/auth/password-reset/request', { email }),
  resetPassword: (token: string, newPassword: string) => api.post<{ status: 'ok' }>('/api/v1/auth/password-reset', { token, newPassword }),

  findMe: (isAuthOptional = false) => api.get<Account>('/api/v1/me', { isAuthOptional }),
  updateProfile: (patch: { username?: string; locale?: string }) => api.patch<Account>('/api/v1/me', patch),
  changePassword: (body: { currentPassword?: string; newPassword: string }) => api.post<{ status: 'ok' }>('/api/v1/me/password', body),
  deleteAccount: (body: { password?: string; totp?: string; recoveryCode?: string }) => api.delete<{ status: 'accepted' }>('/api/v1/me', body),

  listSessions: () => api.get<{ items: AccountSession[] }>('/api/v1/me/sessions'),
  revokeSession: (id: string) => api.delete<{ status: 'ok' }>(`/api/v1/me/sessions/${id}`),
  listSecurityEvents: () => api.get<{ items: SecurityEvent[] }>('/api/v1/me/security-events'),
  showReferral: () => api.get<Referral>('/api/v1/me/referral'),

  startTotpEnrolment: () => api.post<TotpEnrolment>('/api/v1/me/2fa/totp'),
  confirmTotp: (code: string) => api.post<{ recoveryCodes: string[] }>('/api/v1/me/2fa/totp/confirm', { code }),
  disableTotp: (body: { password?: string; code?: string; recoveryCode?: string }) => api.delete<{ status: 'ok' }>('/api/v1/me/2fa/totp', body),
  regenerateRecoveryCodes: (code: string) => api.post<{ recoveryCodes: string[] }>('/api/v1/me/2fa/recovery-codes', { code }),

  listApiTokens: () => api.get<{ items: ApiToken[] }>('/api/v1/tokens'),
  createApiToken: (body: { name: string; scopes: string[]; workspaceId: string; expiresAt?: string }) =>
    api.post<{ token: ApiToken; secret: string }>('/api/v1/tokens', body),
  revokeApiToken: (id: string) => api.delete<{ status: 'ok' }>(`/api/v1/tokens/${id}`),
};
