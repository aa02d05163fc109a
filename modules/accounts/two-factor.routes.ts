import { DisableTotpBody, Done, RecoveryCodesReply, TotpCodeBody, TotpEnrolmentReply } from '@weft/contracts';
import { defineRoute, type RouteDefinition } from '@weft/http';
import type { ProfileService } from './profile.service';
import { RATE_LIMITS, readRequestMeta, requireSession } from './route-helpers';
import type { TwoFactorService } from './two-factor.service';
import { verifyCurrentPassword } from './verify-current-password';
import type { AccountsContext } from './accounts.context';

export function createTwoFactorRoutes(services: { context: AccountsContext; twoFactor: TwoFactorService; profile: ProfileService }): RouteDefinition[] {
  const { context, twoFactor, profile } = services;
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/me/2fa/totp',
      auth: 'user',
      summary: 'Start TOTP enrolment: the secret as otpauth URI, QR code (data URL) and text, shown once',
      tags: ['accounts'],
      rateLimit: RATE_LIMITS.secondFactor,
      response: TotpEnrolmentReply,
      handler: ({ principal }) => twoFactor.enrolTotp(requireSession(principal).userId),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/me/2fa/totp/confirm',
      auth: 'user',
      summary: 'Turn 2FA on with a first code from the app; returns 10 one-time recovery codes, shown once',
      tags: ['accounts'],
      rateLimit: RATE_LIMITS.secondFactor,
      body: TotpCodeBody,
      response: RecoveryCodesReply,
      handler: async ({ principal, body, request }) => ({
        recoveryCodes: await twoFactor.confirmTotp(requireSession(principal).userId, body.code, readRequestMeta(request)),
      }),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/me/2fa/totp',
      auth: 'user',
      summary: 'Turn 2FA off; needs the password and a code (or a recovery code)',
      tags: ['accounts'],
      rateLimit: RATE_LIMITS.secondFactor,
      body: DisableTotpBody,
      response: Done,
      handler: async ({ principal, body, request }) => {
        const user = await profile.requireActiveUser(requireSession(principal).userId);
        await verifyCurrentPassword(context, user, body.password);
        await twoFactor.disableTotp(user.id, { totp: body.code, recoveryCode: body.recoveryCode }, readRequestMeta(request));
        return { status: 'ok' as const };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/me/2fa/recovery-codes',
      auth: 'user',
      summary: 'Replace the recovery codes with 10 new ones; needs a current code from the app',
      tags: ['accounts'],
      rateLimit: RATE_LIMITS.secondFactor,
      body: TotpCodeBody,
      response: RecoveryCodesReply,
      handler: async ({ principal, body, request }) => ({
        recoveryCodes: await twoFactor.regenerateRecoveryCodes(requireSession(principal).userId, body.code, readRequestMeta(request)),
      }),
    }),
  ];
}
