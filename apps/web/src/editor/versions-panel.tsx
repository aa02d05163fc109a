import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { describeError } from '../api/api-client';
import { queryKeys } from '../api/query-keys';
import { workflowsApi, type VersionSummary } from '../api/workflows.api';
import type { VersionComparison } from './version-diff-dialog';
import { Button } from '../components/button';
import { ErrorState } from '../components/empty-state';
import { CloseIcon } from '../components/icons';
import { LoadingBlock } from '../components/spinner';
import { useToast } from '../components/toast';
import { formatRelativeTime } from '../lib/format';

interface VersionsPanelProps {
  workspaceSlug: string;
  workflowId: string;
  publishedVersion: number | null;
  onClose: () => void;
  onRolledBack: (version: number) => void;
  /** Opens the comparison on the canvas. */
  onCompare: (comparison: VersionComparison) => void;
}

/** Published versions, newest first: compare one with the saved draft, or publish it again. */
export function VersionsPanel({ workspaceSlug, workflowId, publishedVersion, onClose, onRolledBack, onCompare }: VersionsPanelProps) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const versions = useQuery({ queryKey: queryKeys.versions(workspaceSlug, workflowId), queryFn: () => workflowsApi.listVersions(workspaceSlug, workflowId) });
  const rollback = useMutation({
    mutationFn: (version: VersionSummary) => workflowsApi.rollbackWorkflow(workspaceSlug, workflowId, version.version, `Rollback to v${version.version}`),
    onSuccess: (published) => {
      toast.showSuccess(`Version ${published.version} is live (a copy of the one you chose).`);
      void queryClient.invalidateQueries({ queryKey: queryKeys.versions(workspaceSlug, workflowId) });
      onRolledBack(published.version);
    },
    onError: (error) => toast.showError(describeError(error)),
  });

  return (
    <div className="inspector-body">
      <header className="row-between">
        <h2>Version history</h2>
        <Button size="sm" variant="ghost" isIconOnly aria-label="Close version history" onClick={onClose}>
          <CloseIcon />
        </Button>
      </header>
      {versions.isPending ? (
        <LoadingBlock />
      ) : versions.isError ? (
        <ErrorState error={versions.error} onRetry={() => void versions.refetch()} />
      ) : versions.data.items.length === 0 ? (
        <p className="subtle">Nothing published yet. Publish the draft to create version 1.</p>
      ) : (
        <ol className="list-plain version-list">
          {versions.data.items.map((version) => (
            <li key={version.id} className="version-item">
              <div className="row-between">
                <strong>v{version.version}</strong>
                {version.version === publishedVersion ? <span className="badge badge-success">Live</span> : null}
              </div>
              <p>{version.message || <span className="subtle">No message</span>}</p>
              <p className="subtle">
                <time dateTime={version.publishedAt} title={new Date(version.publishedAt).toLocaleString()}>
                  {formatRelativeTime(version.publishedAt)}
                </time>
              </p>
              <div className="row">
                <Button size="sm" variant="ghost" aria-label={`Compare with draft: v${version.version}`} onClick={() => onCompare({ from: version.version, to: 'draft' })}>
                  Compare with draft
                </Button>
                {version.version !== publishedVersion ? (
                  <Button size="sm" variant="ghost" isLoading={rollback.isPending && rollback.variables?.id === version.id} onClick={() => rollback.mutate(version)}>
                    Make live again
                  </Button>
                ) : null}
              </div>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
