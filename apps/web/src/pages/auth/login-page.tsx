import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { accountApi } from '../../api/account.api';
import { ApiError, describeError } from '../../api/api-client';
import { Button } from '../../components/button';
import { Field, FormError } from '../../components/field';
import { Input } from '../../components/input';
import { useDocumentTitle } from '../../lib/use-document-title';
import { safeNextPath } from '../../session/require-auth';
import { useAcceptSignIn } from '../../session/session';
import { AuthLayout } from './auth-layout';
import { DiscordLoginButton } from './discord-button';

type SecondFactor = 'totp' | 'recovery';

function describeLoginError(error: unknown, step: 'password' | SecondFactor): string {
  if (!(error instanceof ApiError)) return describeError(error);
  if (error.code === 'AUTH_INVALID_CREDENTIALS') return 'That email, username or password is not right.';
  if (error.code === 'AUTH_SECOND_FACTOR_INVALID') return step === 'recovery' ? 'That recovery code is not valid or was already used.' : 'That code is not right. Codes change every 30 seconds.';
  if (error.code === 'VALIDATION_FAILED') return step === 'totp' ? 'Enter the six digits from your authenticator app.' : 'Fill in both fields.';
  return error.message;
}

export function LoginPage() {
  useDocumentTitle('Log in');
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const acceptSignIn = useAcceptSignIn();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [step, setStep] = useState<'password' | SecondFactor>('password');

  const signIn = useMutation({
    mutationFn: () =>
      accountApi.logIn({
        login: login.trim(),
        password,
        ...(step === 'totp' ? { totp: code.replace(/\s/g, '') } : {}),
        ...(step === 'recovery' ? { recoveryCode: code.trim() } : {}),
      }),
    onSuccess: (reply) => {
      void navigate(safeNextPath(params.get('next')), { replace: true });
      acceptSignIn(reply);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'AUTH_SECOND_FACTOR_REQUIRED' && step === 'password') {
        setStep('totp');
        signIn.reset();
      }
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate();
  };

  if (step !== 'password') {
    return (
      <AuthLayout title="Two-factor authentication" subtitle={step === 'totp' ? 'Enter the code from your authenticator app.' : 'Enter one of the recovery codes you saved.'}>
        <form className="stack" onSubmit={submit} noValidate>
          <FormError message={signIn.error ? describeLoginError(signIn.error, step) : null} />
          <Field label={step === 'totp' ? 'Six-digit code' : 'Recovery code'}>
            {(control) => (
              <Input
                {...control}
                key={step}
                value={code}
                onChange={(event) => setCode(event.target.value)}
                autoFocus
                autoComplete="one-time-code"
                inputMode={step === 'totp' ? 'numeric' : 'text'}
                isMono
                maxLength={step === 'totp' ? 7 : 20}
              />
            )}
          </Field>
          <Button type="submit" variant="primary" isBlock isLoading={signIn.isPending}>
            Verify and log in
          </Button>
          <Button
            variant="ghost"
            onClick={() => {
              setStep(step === 'totp' ? 'recovery' : 'totp');
              setCode('');
              signIn.reset();
            }}
          >
            {step === 'totp' ? 'Use a recovery code instead' : 'Use the authenticator app instead'}
          </Button>
        </form>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title="Log in to Weft" subtitle="Welcome back.">
      <DiscordLoginButton />
      <form className="stack" onSubmit={submit} noValidate>
        <FormError message={signIn.error ? describeLoginError(signIn.error, 'password') : null} />
        <Field label="Email or username">
          {(control) => <Input {...control} value={login} onChange={(event) => setLogin(event.target.value)} autoComplete="username" autoFocus required />}
        </Field>
        <Field label="Password">
          {(control) => (
            <Input {...control} type="password" value={password} onChange={(event) => setPassword(event.target.value)} autoComplete="current-password" required />
          )}
        </Field>
        <div className="row-between">
          <Link to="/forgot-password">Forgot your password?</Link>
        </div>
        <Button type="submit" variant="primary" isBlock isLoading={signIn.isPending}>
          Log in
        </Button>
      </form>
      <p className="auth-footer">
        New to Weft? <Link to={`/signup${params.get('next') ? `?next=${encodeURIComponent(params.get('next')!)}` : ''}`}>Create an account</Link>
      </p>
    </AuthLayout>
  );
}
