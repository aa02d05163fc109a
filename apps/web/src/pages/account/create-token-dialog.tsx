import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { accountApi, API_TOKEN_SCOPES, type ApiToken } from '../../api/account.api';
import { describeError } from '../../api/api-client';
import { queryKeys } from '../../api/query-keys';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { Field, FormError } from '../../components/field';
import { Checkbox, Input, Select } from '../../components/input';
import { useFormDraft } from '../../lib/form-draft';
import { useWorkspaces } from '../shell/workspace-scope';

const EXPIRY_CHOICES = [
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
  { days: 365, label: '1 year' },
  { days: 0, label: 'Never' },
];

interface CreateTokenDialogProps {
  isOpen: boolean;
  onClose: () => void;
  onCreated: (created: { token: ApiToken; secret: string }) => void;
}

export function CreateTokenDialog({ isOpen, onClose, onCreated }: CreateTokenDialogProps) {
  const queryClient = useQueryClient();
  const workspaces = useWorkspaces();
  const draft = useFormDraft('create-api-token', { name: '', workspaceId: '', scopes: ['workflows:read', 'runs:read'] as string[], expiresInDays: 90 });
  const [errors, setErrors] = useState<{ name?: string; scopes?: string }>({});
  const { name, scopes, expiresInDays } = draft.values;
  const workspaceId = draft.values.workspaceId || workspaces.data?.[0]?.id || '';

  const create = useMutation({
    mutationFn: () =>
      accountApi.createApiToken({
        name: name.trim(),
        scopes,
        workspaceId,
        ...(expiresInDays > 0 ? { expiresAt: new Date(Date.now() + expiresInDays * 86_400_000).toISOString() } : {}),
      }),
    onSuccess: (created) => {
      draft.discardDraft();
      void queryClient.invalidateQueries({ queryKey: queryKeys.apiTokens });
      onClose();
      onCreated(created);
    },
  });

  const submit = () => {
    const found: typeof errors = {};
    if (!name.trim()) found.name = 'Name the token after what will use it, e.g. “GitHub deploy”.';
    if (scopes.length === 0) found.scopes = 'Pick at least one scope.';
    setErrors(found);
    if (Object.keys(found).length === 0) create.mutate();
  };

  const toggleScope = (scope: string, isChecked: boolean) =>
    draft.updateValues({ scopes: isChecked ? [...scopes, scope] : scopes.filter((item) => item !== scope) });

  return (
    <Dialog
      isOpen={isOpen}
      title="New API token"
      onClose={onClose}
      onSubmit={submit}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" isLoading={create.isPending}>
            Create token
          </Button>
        </>
      }
    >
      <div className="stack">
        <FormError message={create.error ? describeError(create.error) : null} />
        <Field label="Name" error={errors.name}>
          {(control) => <Input {...control} value={name} autoFocus maxLength={100} onChange={(event) => draft.updateValues({ name: event.target.value })} />}
        </Field>
        <Field label="Workspace" hint="A token acts in one workspace only.">
          {(control) => (
            <Select {...control} value={workspaceId} onChange={(event) => draft.updateValues({ workspaceId: event.target.value })}>
              {(workspaces.data ?? []).map((workspace) => (
                <option key={workspace.id} value={workspace.id}>
                  {workspace.name}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <fieldset className="stack-sm" style={{ border: 0, margin: 0, padding: 0 }}>
          <legend className="field-label">Scopes</legend>
          {API_TOKEN_SCOPES.map((scope) => (
            <Checkbox key={scope} label={<code>{scope}</code>} checked={scopes.includes(scope)} onChange={(event) => toggleScope(scope, event.target.checked)} />
          ))}
          {errors.scopes ? <p className="field-error">{errors.scopes}</p> : null}
        </fieldset>
        <Field label="Expires after">
          {(control) => (
            <Select {...control} value={expiresInDays} onChange={(event) => draft.updateValues({ expiresInDays: Number(event.target.value) })}>
              {EXPIRY_CHOICES.map((choice) => (
                <option key={choice.days} value={choice.days}>
                  {choice.label}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
    </Dialog>
  );
}
