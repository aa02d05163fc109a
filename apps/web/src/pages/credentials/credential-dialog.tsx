import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, describeError } from '../../api/api-client';
import { credentialsApi, type Credential, type CredentialType } from '../../api/credentials.api';
import { queryKeys } from '../../api/query-keys';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { Field, FormError } from '../../components/field';
import { Input, Select } from '../../components/input';
import { CredentialFields, hasNamedFields, readDataIssues, readFieldValues, SecretJsonField, toFieldValues, type FieldValues } from './credential-fields';

interface CredentialDialogProps {
  workspaceSlug: string;
  types: CredentialType[];
  /** Editing this credential; creating a new one when null. */
  credential: Credential | null;
  /** Creating: the type to start with (e.g. the one a node needs). */
  initialType?: string;
  onClose: () => void;
  onSaved: (credential: Credential) => void;
}

function parseSecretJson(text: string): Record<string, unknown> | null {
  const parsed: unknown = JSON.parse(text);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('Write a JSON object, e.g. {"apiKey": "…"}.');
  return parsed as Record<string, unknown>;
}

/**
 * Create or edit a credential with a form generated from its type's schemas.
 * Secrets live only in this component's state: never in drafts, never
 * prefilled, dropped when the dialog closes.
 */
export function CredentialDialog({ workspaceSlug, types, credential, initialType, onClose, onSaved }: CredentialDialogProps) {
  const queryClient = useQueryClient();
  const isEditing = credential !== null;
  const [typeName, setTypeName] = useState(credential?.type ?? initialType ?? types[0]?.type ?? '');
  const [name, setName] = useState(credential?.name ?? '');
  const [publicValues, setPublicValues] = useState<FieldValues>(() => toFieldValues(credential?.publicFields ?? {}));
  const [secretValues, setSecretValues] = useState<FieldValues>({});
  const [secretJson, setSecretJson] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const type = types.find((item) => item.type === typeName);

  const save = useMutation({
    mutationFn: (body: { name: string; data: Record<string, unknown> }) =>
      isEditing ? credentialsApi.updateCredential(workspaceSlug, credential.id, body) : credentialsApi.createCredential(workspaceSlug, { type: typeName, ...body }),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.credentials(workspaceSlug) });
      onSaved(saved);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'CREDENTIAL_DATA_INVALID') setErrors(readDataIssues(error.details));
      if (error instanceof ApiError && error.code === 'CREDENTIAL_NAME_TAKEN') setErrors({ name: error.message });
    },
  });

  const submit = () => {
    if (!type) return;
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = 'Name it after what it opens, e.g. “Stripe live key”.';
    const data = readFieldValues(type.publicSchema, publicValues, credential?.publicFields);
    if (hasNamedFields(type.secretSchema)) {
      for (const [key, value] of Object.entries(readFieldValues(type.secretSchema, secretValues))) if (value !== null) data[key] = value;
      if (!isEditing) for (const key of type.secretSchema.required ?? []) if (data[key] === undefined) found[key] = 'Required.';
    } else if (secretJson.trim() || !isEditing) {
      try {
        Object.assign(data, parseSecretJson(secretJson.trim() || 'null'));
      } catch (error) {
        found._ = error instanceof SyntaxError ? 'This is not valid JSON.' : (error as Error).message;
      }
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const isNameChanged = name.trim() !== credential?.name;
    const hasData = !isEditing || Object.keys(data).length > 0;
    if (isEditing && !isNameChanged && !hasData) return onClose();
    save.mutate({ name: name.trim(), data });
  };

  return (
    <Dialog
      isOpen
      title={isEditing ? `Edit “${credential.name}”` : 'New credential'}
      onClose={onClose}
      onSubmit={submit}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" isLoading={save.isPending}>
            {isEditing ? 'Save changes' : 'Create credential'}
          </Button>
        </>
      }
    >
      <div className="stack">
        <FormError message={save.error && !(save.error instanceof ApiError && save.error.code === 'CREDENTIAL_DATA_INVALID') ? describeError(save.error) : null} />
        {isEditing ? null : (
          <Field label="Type" hint={type?.description}>
            {(control) => (
              <Select
                {...control}
                value={typeName}
                onChange={(event) => {
                  setTypeName(event.target.value);
                  setPublicValues({});
                  setSecretValues({});
                  setErrors({});
                }}
              >
                {types.map((item) => (
                  <option key={item.type} value={item.type}>
                    {item.label}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        )}
        <Field label="Name" error={errors.name}>
          {(control) => <Input {...control} value={name} maxLength={100} autoFocus autoComplete="off" onChange={(event) => setName(event.target.value)} />}
        </Field>
        {type ? (
          <>
            <CredentialFields schema={type.publicSchema} values={publicValues} errors={errors} onChange={(key, value) => setPublicValues((current) => ({ ...current, [key]: value }))} />
            <fieldset className="form-fieldset">
              <legend>Secret</legend>
              <p className="field-hint">Encrypted when saved and never shown again — not to you, not to anyone in this workspace.</p>
              {hasNamedFields(type.secretSchema) ? (
                <CredentialFields
                  schema={type.secretSchema}
                  values={secretValues}
                  errors={errors}
                  isSecret
                  isEditing={isEditing}
                  onChange={(key, value) => setSecretValues((current) => ({ ...current, [key]: value }))}
                />
              ) : (
                <SecretJsonField value={secretJson} onChange={setSecretJson} error={errors._} isEditing={isEditing} />
              )}
            </fieldset>
          </>
        ) : null}
      </div>
    </Dialog>
  );
}
