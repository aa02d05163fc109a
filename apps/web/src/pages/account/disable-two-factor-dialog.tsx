import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { accountApi, type Account } from '../../api/account.api';
import { describeError } from '../../api/api-client';
import { queryKeys } from '../../api/query-keys';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { Field, FormError } from '../../components/field';
import { Input } from '../../components/input';
import { useToast } from '../../components/toast';

export function DisableTwoFactorDialog({ account, isOpen, onClose }: { account: Account; isOpen: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const isRecoveryCode = code.replace(/\s/g, '').length > 6;

  const disable = useMutation({
    mutationFn: () =>
      accountApi.disableTotp({
        ...(account.hasPassword ? { password } : {}),
        ...(isRecoveryCode ? { recoveryCode: code.trim() } : { code: code.replace(/\s/g, '') }),
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.me });
      toast.showSuccess('Two-factor authentication is off.');
      setPassword('');
      setCode('');
      onClose();
    },
  });

  return (
    <Dialog
      isOpen={isOpen}
      title="Turn off two-factor authentication"
      onClose={onClose}
      onSubmit={() => disable.mutate()}
      footer={
        <>
          <Button onClick={onClose}>Keep it on</Button>
          <Button type="submit" variant="danger" isLoading={disable.isPending}>
            Turn off
          </Button>
        </>
      }
    >
      <div className="stack">
        <p className="muted">Your account will be protected by your password alone.</p>
        <FormError message={disable.error ? describeError(disable.error) : null} />
        <input type="text" name="username" autoComplete="username" value={account.email} readOnly hidden />
        {account.hasPassword ? (
          <Field label="Password">
            {(control) => <Input {...control} type="password" autoComplete="current-password" value={password} onChange={(event) => setPassword(event.target.value)} />}
          </Field>
        ) : null}
        <Field label="Code from your app, or a recovery code">
          {(control) => <Input {...control} value={code} onChange={(event) => setCode(event.target.value)} autoComplete="one-time-code" isMono />}
        </Field>
      </div>
    </Dialog>
  );
}
