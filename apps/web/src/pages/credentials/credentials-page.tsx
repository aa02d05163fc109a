import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { describeError } from '../../api/api-client';
import { credentialsApi, type Credential } from '../../api/credentials.api';
import { queryKeys } from '../../api/query-keys';
import { hasPermission } from '../../api/workspaces.api';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { EmptyState, ErrorState } from '../../components/empty-state';
import { KeyIcon, PlusIcon } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { LoadingBlock } from '../../components/spinner';
import { EditDeleteActions, Table } from '../../components/table';
import { useToast } from '../../components/toast';
import { formatDateTime, formatRelativeTime } from '../../lib/format';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useCurrentWorkspace } from '../shell/workspace-scope';
import { CredentialDialog } from './credential-dialog';

type Editing = { credential: Credential | null } | null;

export function CredentialsPage() {
  const workspace = useCurrentWorkspace();
  useDocumentTitle(`Credentials · ${workspace.name}`);
  const queryClient = useQueryClient();
  const toast = useToast();
  const canManage = hasPermission(workspace, 'credentials.manage');
  const credentials = useQuery({ queryKey: queryKeys.credentials(workspace.slug), queryFn: () => credentialsApi.listCredentials(workspace.slug) });
  const types = useQuery({ queryKey: queryKeys.credentialTypes, queryFn: credentialsApi.listCredentialTypes, staleTime: Infinity });
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<Credential | null>(null);
  const typeLabel = (type: string) => types.data?.find((item) => item.type === type)?.label ?? type;

  const remove = useMutation({
    mutationFn: (credential: Credential) => credentialsApi.deleteCredential(workspace.slug, credential.id),
    onSuccess: (_, credential) => {
      toast.showSuccess(`“${credential.name}” deleted. Workflows that used it will ask for another.`);
      setDeleting(null);
      return queryClient.invalidateQueries({ queryKey: queryKeys.credentials(workspace.slug) });
    },
    onError: (error) => toast.showError(describeError(error)),
  });

  const newButton = canManage ? (
    <Button variant="primary" icon={<PlusIcon />} disabled={!types.data} onClick={() => setEditing({ credential: null })}>
      New credential
    </Button>
  ) : null;

  return (
    <div className="page">
      <PageHeader title="Credentials" description="API keys, passwords and tokens your workflows use. Secrets are encrypted and never shown again after you save them." actions={newButton} />
      {credentials.isPending || types.isPending ? (
        <LoadingBlock label="Loading credentials…" />
      ) : credentials.isError || types.isError ? (
        <ErrorState
          error={credentials.error ?? types.error}
          onRetry={() => {
            void credentials.refetch();
            void types.refetch();
          }}
        />
      ) : credentials.data.length === 0 ? (
        <EmptyState
          icon={<KeyIcon size={22} />}
          title="No credentials yet"
          description="Store a key once here, then pick it in a node’s settings: the workflow never contains the secret itself."
          actions={newButton}
        />
      ) : (
        <Table
          label="Credentials"
          head={
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          }
        >
          {credentials.data.map((credential) => (
            <tr key={credential.id}>
              <td>
                <strong>{credential.name}</strong>
              </td>
              <td>{typeLabel(credential.type)}</td>
              <td title={formatDateTime(credential.createdAt)}>{formatRelativeTime(credential.createdAt)}</td>
              <td title={credential.lastUsedAt ? formatDateTime(credential.lastUsedAt) : undefined}>{credential.lastUsedAt ? formatRelativeTime(credential.lastUsedAt) : 'Never'}</td>
              <td className="table-actions">
                {canManage ? <EditDeleteActions name={credential.name} onEdit={() => setEditing({ credential })} onDelete={() => setDeleting(credential)} /> : null}
              </td>
            </tr>
          ))}
        </Table>
      )}
      {editing && types.data ? (
        <CredentialDialog
          key={editing.credential?.id ?? 'new'}
          workspaceSlug={workspace.slug}
          types={types.data}
          credential={editing.credential}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            toast.showSuccess(editing.credential ? `“${saved.name}” updated.` : `“${saved.name}” saved. Its secret is sealed and will not be shown again.`);
          }}
        />
      ) : null}
      <Dialog
        isOpen={deleting !== null}
        title="Delete this credential?"
        onClose={() => setDeleting(null)}
        footer={
          <>
            <Button onClick={() => setDeleting(null)}>Cancel</Button>
            <Button variant="danger" isLoading={remove.isPending} onClick={() => deleting && remove.mutate(deleting)}>
              Delete credential
            </Button>
          </>
        }
      >
        <p>“{deleting?.name}” is removed for good. Published workflows that use it fail at their next run until you pick another.</p>
      </Dialog>
    </div>
  );
}
