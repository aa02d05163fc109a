import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { credentialsApi } from '../api/credentials.api';
import { queryKeys } from '../api/query-keys';
import { hasPermission } from '../api/workspaces.api';
import { Button } from '../components/button';
import { Field } from '../components/field';
import { PlusIcon } from '../components/icons';
import { Select } from '../components/input';
import { CredentialDialog } from '../pages/credentials/credential-dialog';
import { useCurrentWorkspace } from '../pages/shell/workspace-scope';

interface CredentialPickerProps {
  label?: string;
  /** Credential types the node accepts here. */
  types: readonly string[];
  value: string | undefined;
  onChange: (credentialId: string | undefined) => void;
  isRequired?: boolean;
  error?: string | null;
  hint?: string;
}

/** `Id of a basic-auth credential of this workspace` → `basic-auth` (how node params describe their credential). */
export function readCredentialTypeFromDescription(description: string | undefined): string | null {
  return /Id of an? ([a-z0-9-]+) credential/i.exec(description ?? '')?.[1] ?? null;
}

/**
 * Picks a stored credential of the right type for a node, by name. Only the
 * id goes into the workflow; a new credential can be created on the spot.
 */
export function CredentialPicker({ label = 'Credential', types, value, onChange, isRequired, error, hint }: CredentialPickerProps) {
  const workspace = useCurrentWorkspace();
  const [isCreating, setCreating] = useState(false);
  const credentials = useQuery({ queryKey: queryKeys.credentials(workspace.slug), queryFn: () => credentialsApi.listCredentials(workspace.slug) });
  const credentialTypes = useQuery({ queryKey: queryKeys.credentialTypes, queryFn: credentialsApi.listCredentialTypes, staleTime: Infinity, enabled: isCreating });
  const matching = (credentials.data ?? []).filter((credential) => types.includes(credential.type));
  const isMissing = value !== undefined && credentials.isSuccess && !matching.some((credential) => credential.id === value);
  const canCreate = hasPermission(workspace, 'credentials.manage');
  const typeList = types.join(' or ');

  return (
    <>
      <Field
        label={label}
        isOptional={!isRequired}
        error={isMissing ? 'This credential no longer exists or has another type: pick another.' : (error ?? null)}
        hint={
          credentials.isError ? (
            'The credentials could not be loaded.'
          ) : (
            <>
              {hint ?? `A ${typeList} credential.`} <Link to={`/w/${workspace.slug}/credentials`}>Manage credentials</Link>
            </>
          )
        }
      >
        {(control) => (
          <div className="row credential-picker">
            <Select {...control} className="grow" value={value ?? ''} disabled={credentials.isPending} onChange={(event) => onChange(event.target.value || undefined)}>
              <option value="">{credentials.isPending ? 'Loading…' : matching.length === 0 ? `No ${typeList} credential yet` : 'Not set'}</option>
              {matching.map((credential) => (
                <option key={credential.id} value={credential.id}>
                  {credential.name}
                </option>
              ))}
              {isMissing ? <option value={value}>Unknown credential</option> : null}
            </Select>
            {canCreate ? (
              <Button size="sm" variant="ghost" isIconOnly aria-label={`New ${typeList} credential`} title="New credential" onClick={() => setCreating(true)}>
                <PlusIcon />
              </Button>
            ) : null}
          </div>
        )}
      </Field>
      {isCreating && credentialTypes.data ? (
        <CredentialDialog
          workspaceSlug={workspace.slug}
          types={credentialTypes.data.filter((type) => types.includes(type.type))}
          credential={null}
          initialType={types[0]}
          onClose={() => setCreating(false)}
          onSaved={(saved) => {
            setCreating(false);
            onChange(saved.id);
          }}
        />
      ) : null}
    </>
  );
}

/**
 * The credential types a node needs with its current params: its one type,
 * or those of its accepted types that a param selects (http.request's `auth`).
 */
export function findNodeCredentialTypes(description: { credentialType?: string; credentialTypes?: readonly string[] } | undefined, params: Record<string, unknown>): string[] {
  if (!description) return [];
  if (description.credentialTypes?.length) {
    const chosen = Object.values(params).filter((value): value is string => typeof value === 'string');
    return description.credentialTypes.filter((type) => chosen.includes(type));
  }
  return description.credentialType ? [description.credentialType] : [];
}
