import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { accountApi, type Account } from '../../api/account.api';
import { queryKeys } from '../../api/query-keys';
import { describeError, markSignedOut } from '../../api/api-client';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { Field, FormError } from '../../components/field';
import { Input } from '../../components/input';
import { clearFormDrafts } from '../../lib/form-draft';
import { clearCachedApiResponses } from '../../lib/service-worker';

export function DeleteAccountDialog({ account, isOpen, onClose }: { account: Account; isOpen: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [confirmation, setConfirmation] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const isConfirmed = confirmation === account.username;

  const remove = useMutation({
    mutationFn: () =>
      accountApi.deleteAccount({
        ...(account.hasPassword ? { password } : {}),
        ...(account.isTotpEnabled ? (code.trim().length > 7 ? { recoveryCode: code.trim() } : { totp: code.trim() }) : {}),
      }),
    onSuccess: () => {
      markSignedOut();
      clearFormDrafts();
      clearCachedApiResponses();
      queryClient.setQueryData(queryKeys.me, null);
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== queryKeys.me[0] });
    },
  });

  return (
    <Dialog
      isOpen={isOpen}
      title="Delete your account"
      onClose={onClose}
      onSubmit={() => isConfirmed && remove.mutate()}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="danger" disabled={!isConfirmed} isLoading={remove.isPending}>
            Delete my account
          </Button>
        </>
      }
    >
      <div className="stack">
        <div className="callout callout-danger">This cannot be undone. Your workflows, runs and tokens in workspaces you alone own go with it.</div>
        <FormError message={remove.error ? describeError(remove.error) : null} />
        <Field label={<>Type your username, <strong>{account.username}</strong>, to confirm</>}>
          {(control) => <Input {...control} value={confirmation} autoComplete="off" onChange={(event) => setConfirmation(event.target.value)} />}
        </Field>
        <input type="text" name="username" autoComplete="username" value={account.email} readOnly hidden />
        {account.hasPassword ? (
          <Field label="Password">
            {(control) => <Input {...control} type="password" autoComplete="current-password" value={password} onChange={(event) => setPassword(event.target.value)} />}
          </Field>
        ) : null}
        {account.isTotpEnabled ? (
          <Field label="Code from your app, or a recovery code">
            {(control) => <Input {...control} value={code} autoComplete="one-time-code" isMono onChange={(event) => setCode(event.target.value)} />}
          </Field>
        ) : null}
      </div>
    </Dialog>
  );
}
