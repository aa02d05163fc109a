import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { accountApi } from '../../api/account.api';
import { describeError } from '../../api/api-client';
import { Button } from '../../components/button';
import { Field, FormError } from '../../components/field';
import { Input } from '../../components/input';
import { useDocumentTitle } from '../../lib/use-document-title';
import { AuthLayout } from './auth-layout';

export function ForgotPasswordPage() {
  useDocumentTitle('Reset your password');
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const request = useMutation({ mutationFn: () => accountApi.requestPasswordReset(email.trim()) });

  if (request.isSuccess) {
    return (
      <AuthLayout title="Check your inbox" subtitle={`If an account uses ${email.trim()}, a link to choose a new password is on its way. It works for one hour.`}>
        <p className="auth-footer">
          <Link to="/login">Back to log in</Link>
        </p>
      </AuthLayout>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) {
      setError('Enter the email address of your account.');
      return;
    }
    setError(null);
    request.mutate();
  };

  return (
    <AuthLayout title="Reset your password" subtitle="We will email you a link to choose a new one.">
      <form className="stack" onSubmit={submit} noValidate>
        <FormError message={request.error ? describeError(request.error) : null} />
        <Field label="Email" error={error}>
          {(control) => <Input {...control} type="email" autoComplete="email" autoFocus value={email} onChange={(event) => setEmail(event.target.value)} />}
        </Field>
        <Button type="submit" variant="primary" isBlock isLoading={request.isPending}>
          Send the link
        </Button>
      </form>
      <p className="auth-footer">
        Remembered it? <Link to="/login">Log in</Link>
      </p>
    </AuthLayout>
  );
}
