import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { accountApi } from '../../api/account.api';
import { ApiError, describeError } from '../../api/api-client';
import { Button } from '../../components/button';
import { Field, FormError } from '../../components/field';
import { Input } from '../../components/input';
import { useToast } from '../../components/toast';
import { useFormDraft } from '../../lib/form-draft';
import { useDocumentTitle } from '../../lib/use-document-title';
import { safeNextPath } from '../../session/require-auth';
import { useAcceptSignIn } from '../../session/session';
import { AuthLayout } from './auth-layout';
import { DiscordLoginButton } from './discord-button';

export const PASSWORD_MIN_LENGTH = 10;
const USERNAME_PATTERN = /^[a-zA-Z0-9_.-]{3,32}$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface SignUpErrors {
  email?: string;
  username?: string;
  password?: string;
}

function checkSignUp(values: { email: string; username: string }, password: string): SignUpErrors {
  const errors: SignUpErrors = {};
  if (!EMAIL_PATTERN.test(values.email.trim())) errors.email = 'Enter an email address such as you@example.com.';
  if (!USERNAME_PATTERN.test(values.username)) errors.username = '3 to 32 characters: letters, digits, “_”, “.” or “-”.';
  if (password.length < PASSWORD_MIN_LENGTH) errors.password = `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  return errors;
}

/** Maps the API's refusals onto the field they concern. */
function readServerErrors(error: unknown): SignUpErrors {
  if (!(error instanceof ApiError)) return {};
  if (error.code === 'ACCOUNTS_EMAIL_TAKEN') return { email: 'An account already uses this email. Log in instead?' };
  if (error.code === 'ACCOUNTS_USERNAME_TAKEN') return { username: 'This username is taken.' };
  if (error.code === 'ACCOUNTS_USERNAME_RESERVED') return { username: 'This username is reserved. Choose another.' };
  if (error.code === 'ACCOUNTS_PASSWORD_TOO_COMMON') return { password: error.message };
  return error.fieldErrors();
}

export function SignUpPage() {
  useDocumentTitle('Create your account');
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const toast = useToast();
  const acceptSignIn = useAcceptSignIn();
  // Email and username survive a reload; the password never touches storage.
  const draft = useFormDraft('signup', { email: '', username: '' });
  const [password, setPassword] = useState('');
  const [clientErrors, setClientErrors] = useState<SignUpErrors>({});
  const referralCode = params.get('ref');

  const signUp = useMutation({
    mutationFn: () =>
      accountApi.signUp({ email: draft.values.email.trim(), username: draft.values.username, password, ...(referralCode ? { ref: referralCode } : {}) }),
    onSuccess: (reply) => {
      draft.discardDraft();
      // Navigate first: in the same batch the sign-in pages' own "already signed in" redirect never runs.
      void navigate(params.get('next') ? safeNextPath(params.get('next')) : '/?welcome=1', { replace: true });
      acceptSignIn(reply);
      toast.showSuccess(`Welcome to Weft! We sent a confirmation link to ${reply.user.email}.`);
    },
  });

  const serverErrors = readServerErrors(signUp.error);
  const errors = { ...serverErrors, ...clientErrors };
  const hasFieldError = Object.keys(serverErrors).length > 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = checkSignUp(draft.values, password);
    setClientErrors(found);
    if (Object.keys(found).length === 0) signUp.mutate();
  };

  return (
    <AuthLayout title="Create your account" subtitle="Free, and yours: your data stays on this instance.">
      <DiscordLoginButton referralCode={referralCode} />
      <form className="stack" onSubmit={submit} noValidate>
        <FormError message={signUp.error && !hasFieldError ? describeError(signUp.error) : null} />
        <Field label="Email" error={errors.email}>
          {(control) => (
            <Input {...control} type="email" autoComplete="email" autoFocus value={draft.values.email} onChange={(event) => draft.updateValues({ email: event.target.value })} />
          )}
        </Field>
        <Field label="Username" hint="Shown to your teammates; also the address of your personal workspace." error={errors.username}>
          {(control) => (
            <Input {...control} autoComplete="username" value={draft.values.username} onChange={(event) => draft.updateValues({ username: event.target.value })} />
          )}
        </Field>
        <Field label="Password" hint={`At least ${PASSWORD_MIN_LENGTH} characters. A short sentence works well.`} error={errors.password}>
          {(control) => <Input {...control} type="password" autoComplete="new-password" value={password} onChange={(event) => setPassword(event.target.value)} />}
        </Field>
        <Button type="submit" variant="primary" isBlock isLoading={signUp.isPending}>
          Create account
        </Button>
        <p className="subtle">
          By creating an account you accept how this instance handles your data, described in its <a href="/privacy">privacy notice</a>.
        </p>
      </form>
      <p className="auth-footer">
        Already have an account? <Link to="/login">Log in</Link>
      </p>
    </AuthLayout>
  );
}
