import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router';
import { accountApi } from '../../api/account.api';
import { describeError } from '../../api/api-client';
import { queryKeys } from '../../api/query-keys';
import { ButtonLink } from '../../components/button';
import { FormError } from '../../components/field';
import { LoadingBlock } from '../../components/spinner';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useMe } from '../../session/session';
import { AuthLayout } from './auth-layout';

/** `/verify-email?token=…` from the mailed link: confirms at once, then offers the way on. */
export function VerifyEmailPage() {
  useDocumentTitle('Confirm your email');
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const queryClient = useQueryClient();
  const me = useMe();
  const hasStarted = useRef(false);

  const verify = useMutation({
    mutationFn: () => accountApi.verifyEmail(token),
    onSuccess: async () => {
      // The page's own first `me` request may still be in flight, sent before the address was
      // confirmed; invalidating would only wait for it. Cancel it, then fetch again, before
      // "Email confirmed" shows (the dashboard would otherwise keep the stale banner).
      await queryClient.cancelQueries({ queryKey: queryKeys.me });
      await queryClient.invalidateQueries({ queryKey: queryKeys.me });
    },
  });

  useEffect(() => {
    // Once: the token is single use, and StrictMode runs effects twice in development.
    if (hasStarted.current || !token) return;
    hasStarted.current = true;
    verify.mutate();
  }, [token, verify]);

  const next = me.data ? <ButtonLink to="/" variant="primary" isBlock>Go to your dashboard</ButtonLink> : <ButtonLink to="/login" variant="primary" isBlock>Log in</ButtonLink>;

  if (!token) {
    return (
      <AuthLayout title="Confirm your email" subtitle="This link has no token. Open the link from the email exactly as it was sent.">
        {next}
      </AuthLayout>
    );
  }
  if (verify.isSuccess) {
    return (
      <AuthLayout title="Email confirmed" subtitle="Thank you. Your address is confirmed.">
        {next}
      </AuthLayout>
    );
  }
  if (verify.isError) {
    return (
      <AuthLayout title="This link does not work" subtitle="Links are valid for 24 hours and only once.">
        <FormError message={describeError(verify.error)} />
        {me.data ? <p className="muted">Ask for a new link from the banner at the top of your dashboard.</p> : null}
        {next}
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title="Confirming your email…">
      <LoadingBlock label="Checking the link…" />
    </AuthLayout>
  );
}
