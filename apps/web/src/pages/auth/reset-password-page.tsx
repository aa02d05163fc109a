import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { accountApi } from '../../api/account.api';
import { ApiError, describeError } from '../../api/api-client';
import { rememberCsrfToken } from '../../api/api-client';
import { queryKeys } from '../../api/query-keys';
import { Button, ButtonLink } from '../../components/button';
import { Field, FormError } from '../../components/field';
import { Input } from '../../components/input';
import { useDocumentTitle } from '../../lib/use-document-title';
import { AuthLayout } from './auth-layout';
import { PASSWORD_MIN_LENGTH } from './signup-page';

/** `/reset-password?token=…`: choose a new password; every session is signed out by the server. */
export function ResetPasswordPage() {
  useDocumentTitle('Choose a new password');
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const queryClient = useQueryClient();
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [errors, setErrors] = useState<{ password?: string; confirmation?: string }>({});

  const reset = useMutation({
    mutationFn: () => accountApi.resetPassword(token, password),
    onSuccess: () => {
      rememberCsrfToken(null);
      queryClient.setQueryData(queryKeys.me, null);
    },
  });

  if (reset.isSuccess) {
    return (
      <AuthLayout title="Password changed" subtitle="For your safety every session was signed out. Log in with your new password.">
        <ButtonLink to="/login" variant="primary" isBlock>
          Log in
        </ButtonLink>
      </AuthLayout>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: typeof errors = {};
    if (password.length < PASSWORD_MIN_LENGTH) found.password = `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
    if (confirmation !== password) found.confirmation = 'The two passwords differ.';
    setErrors(found);
    if (Object.keys(found).length === 0) reset.mutate();
  };

  const serverError = reset.error;
  const isTooCommon = serverError instanceof ApiError && serverError.code === 'ACCOUNTS_PASSWORD_TOO_COMMON';

  return (
    <AuthLayout title="Choose a new password" subtitle="The link from the email works once, for one hour.">
      {!token ? <FormError message="This link has no token. Open the link from the email exactly as it was sent." /> : null}
      <form className="stack" onSubmit={submit} noValidate>
        <FormError message={serverError && !isTooCommon ? describeError(serverError) : null} />
        <Field label="New password" hint={`At least ${PASSWORD_MIN_LENGTH} characters.`} error={errors.password ?? (isTooCommon ? serverError.message : null)}>
          {(control) => <Input {...control} type="password" autoComplete="new-password" autoFocus value={password} onChange={(event) => setPassword(event.target.value)} />}
        </Field>
        <Field label="Repeat the new password" error={errors.confirmation}>
          {(control) => <Input {...control} type="password" autoComplete="new-password" value={confirmation} onChange={(event) => setConfirmation(event.target.value)} />}
        </Field>
        <Button type="submit" variant="primary" isBlock isLoading={reset.isPending} disabled={!token}>
          Change password
        </Button>
      </form>
      <p className="auth-footer">
        <Link to="/forgot-password">Ask for a new link</Link>
      </p>
    </AuthLayout>
  );
}
