import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { accountApi, type Account } from '../../api/account.api';
import { ApiError, describeError } from '../../api/api-client';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Field, FormError } from '../../components/field';
import { Input } from '../../components/input';
import { useToast } from '../../components/toast';
import { PASSWORD_MIN_LENGTH } from '../auth/signup-page';

export function PasswordCard({ account }: { account: Account }) {
  const toast = useToast();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [lengthError, setLengthError] = useState<string | null>(null);

  const change = useMutation({
    mutationFn: () => accountApi.changePassword({ ...(account.hasPassword ? { currentPassword } : {}), newPassword }),
    onSuccess: () => {
      setCurrentPassword('');
      setNewPassword('');
      toast.showSuccess('Password changed. Your other sessions were signed out.');
    },
  });

  const error = change.error instanceof ApiError ? change.error : null;
  const currentError = error?.code === 'ACCOUNTS_PASSWORD_INCORRECT' ? 'This is not your current password.' : null;
  const newError = lengthError ?? (error?.code === 'ACCOUNTS_PASSWORD_TOO_COMMON' ? error.message : null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const tooShort = newPassword.length < PASSWORD_MIN_LENGTH ? `Use at least ${PASSWORD_MIN_LENGTH} characters.` : null;
    setLengthError(tooShort);
    if (!tooShort) change.mutate();
  };

  return (
    <form onSubmit={submit} noValidate>
      <Card
        title={account.hasPassword ? 'Password' : 'Set a password'}
        description={account.hasPassword ? 'Changing it signs out your other sessions.' : 'You sign in with Discord; add a password to sign in with your email too.'}
        footer={
          <Button type="submit" variant="primary" isLoading={change.isPending}>
            {account.hasPassword ? 'Change password' : 'Set password'}
          </Button>
        }
      >
        <div className="stack">
          <FormError message={change.error && !currentError && !newError ? describeError(change.error) : null} />
          {/* A hidden username helps password managers file the new password under the right account. */}
          <input type="text" name="username" autoComplete="username" value={account.email} readOnly hidden />
          {account.hasPassword ? (
            <Field label="Current password" error={currentError}>
              {(control) => (
                <Input {...control} type="password" autoComplete="current-password" value={currentPassword} onChange={(event) => setCurrentPassword(event.target.value)} />
              )}
            </Field>
          ) : null}
          <Field label="New password" hint={`At least ${PASSWORD_MIN_LENGTH} characters.`} error={newError}>
            {(control) => <Input {...control} type="password" autoComplete="new-password" value={newPassword} onChange={(event) => setNewPassword(event.target.value)} />}
          </Field>
        </div>
      </Card>
    </form>
  );
}
