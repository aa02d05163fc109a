import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { accountApi, type ApiToken } from '../../api/account.api';
import { describeError } from '../../api/api-client';
import { queryKeys } from '../../api/query-keys';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { Dialog } from '../../components/dialog';
import { EmptyState, ErrorState } from '../../components/empty-state';
import { KeyIcon, PlusIcon } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { LoadingBlock } from '../../components/spinner';
import { Table } from '../../components/table';
import { useToast } from '../../components/toast';
import { formatDateTime, formatRelativeTime } from '../../lib/format';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useWorkspaces } from '../shell/workspace-scope';
import { CreateTokenDialog } from './create-token-dialog';

export function ApiTokensPage() {
  useDocumentTitle('API tokens');
  const queryClient = useQueryClient();
  const toast = useToast();
  const tokens = useQuery({ queryKey: queryKeys.apiTokens, queryFn: accountApi.listApiTokens });
  const workspaces = useWorkspaces();
  const [isCreating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ token: ApiToken; secret: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);

  const revoke = useMutation({
    mutationFn: (id: string) => accountApi.revokeApiToken(id),
    onSuccess: () => {
      toast.showSuccess('Token revoked. Scripts using it stop working now.');
      setRevoking(null);
      return queryClient.invalidateQueries({ queryKey: queryKeys.apiTokens });
    },
    onError: (error) => toast.showError(describeError(error)),
  });
  const workspaceName = (id: string) => workspaces.data?.find((workspace) => workspace.id === id)?.name ?? id.slice(0, 8);

  return (
    <div className="page">
      <PageHeader
        title="API tokens"
        description="Let scripts and other services use the API on your behalf, in one workspace, with only the scopes they need."
        actions={
          <Button variant="primary" icon={<PlusIcon />} onClick={() => setCreating(true)}>
            New token
          </Button>
        }
      />
      {tokens.isPending ? (
        <LoadingBlock />
      ) : tokens.isError ? (
        <ErrorState error={tokens.error} onRetry={() => void tokens.refetch()} />
      ) : tokens.data.items.length === 0 ? (
        <EmptyState
          icon={<KeyIcon size={22} />}
          title="No API tokens"
          description="Create a token to call the API from a script: send it as “Authorization: Bearer weft_…”."
          actions={<Button variant="primary" onClick={() => setCreating(true)}>Create a token</Button>}
        />
      ) : (
        <Table
          label="API tokens"
          head={
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Workspace</th>
              <th scope="col">Scopes</th>
              <th scope="col">Last used</th>
              <th scope="col">Expires</th>
              <th scope="col"><span className="visually-hidden">Actions</span></th>
            </tr>
          }
        >
          {tokens.data.items.map((token) => (
            <tr key={token.id}>
              <td>
                <strong>{token.name}</strong>
                <br />
                <span className="mono subtle">{token.prefix}…</span>
              </td>
              <td>{workspaceName(token.workspaceId)}</td>
              <td>
                <span className="row">
                  {token.scopes.map((scope) => (
                    <span key={scope} className="badge">
                      {scope}
                    </span>
                  ))}
                </span>
              </td>
              <td>{token.lastUsedAt ? formatRelativeTime(token.lastUsedAt) : 'Never'}</td>
              <td>{token.expiresAt ? formatDateTime(token.expiresAt) : 'Never'}</td>
              <td className="table-actions">
                <Button size="sm" variant="ghost" onClick={() => setRevoking(token)}>
                  Revoke
                </Button>
              </td>
            </tr>
          ))}
        </Table>
      )}
      <CreateTokenDialog isOpen={isCreating} onClose={() => setCreating(false)} onCreated={setCreated} />
      <Dialog
        isOpen={created !== null}
        title="Copy your new token"
        onClose={() => setCreated(null)}
        footer={<Button variant="primary" onClick={() => setCreated(null)}>Done</Button>}
      >
        <div className="stack">
          <div className="callout callout-warning">This is the only time the token is shown. Store it somewhere safe, such as your CI’s secret store.</div>
          <div className="secret-box">
            <span className="grow" data-testid="token-secret">{created?.secret}</span>
            <CopyButton value={created?.secret ?? ''} />
          </div>
        </div>
      </Dialog>
      <Dialog
        isOpen={revoking !== null}
        title="Revoke this token?"
        onClose={() => setRevoking(null)}
        footer={
          <>
            <Button onClick={() => setRevoking(null)}>Cancel</Button>
            <Button variant="danger" isLoading={revoke.isPending} onClick={() => revoking && revoke.mutate(revoking.id)}>
              Revoke token
            </Button>
          </>
        }
      >
        <p>“{revoking?.name}” stops working at once. This cannot be undone.</p>
      </Dialog>
    </div>
  );
}
