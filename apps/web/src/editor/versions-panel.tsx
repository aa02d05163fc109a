import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { describeError } from '../api/api-client';
import { queryKeys } from '../api/query-keys';
import { workflowsApi, type GraphDiff, type VersionSummary } from '../api/workflows.api';
import { Button } from '../components/button';
import { ErrorState } from '../components/empty-state';
import { CloseIcon } from '../components/icons';
import { LoadingBlock } from '../components/spinner';
import { useToast } from '../components/toast';
import { formatRelativeTime } from '../lib/format';

function DiffSummary({ diff }: { diff: GraphDiff }) {
  const lines = [
    ...diff.nodes.added.map((id) => `+ node ${id}`),
    ...diff.nodes.removed.map((id) => `− node ${id}`),
    ...diff.nodes.changed.map((change) => `~ ${change.nodeId}: ${change.paths.join(', ')}`),
    ...diff.edges.added.map((edge) => `+ ${edge.from} → ${edge.to}`),
    ...diff.edges.removed.map((edge) => `− ${edge.from} → ${edge.to}`),
  ];
  if (lines.length === 0) return <p className="subtle">The draft is the same as this version.</p>;
  return (
    <ul className="list-plain diff-lines mono" aria-label="Differences from this version to the saved draft">
      {lines.map((line) => (
        <li key={line} className={line.startsWith('+') ? 'diff-added' : line.startsWith('−') ? 'diff-removed' : 'diff-changed'}>
          {line}
        </li>
      ))}
    </ul>
  );
}

interface VersionsPanelProps {
  workspaceSlug: string;
  workflowId: string;
  publishedVersion: number | null;
  onClose: () => void;
  onRolledBack: (version: number) => void;
}

/** Published versions, newest first: compare one with the saved draft, or publish it again. */
export function VersionsPanel({ workspaceSlug, workflowId, publishedVersion, onClose, onRolledBack }: VersionsPanelProps) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [compared, setCompared] = useState<number | null>(null);
  const versions = useQuery({ queryKey: queryKeys.versions(workspaceSlug, workflowId), queryFn: () => workflowsApi.listVersions(workspaceSlug, workflowId) });
  const diff = useQuery({
    queryKey: [...queryKeys.versions(workspaceSlug, workflowId), 'diff', compared],
    queryFn: () => workflowsApi.diffVersions(workspaceSlug, workflowId, compared!, 'draft'),
    enabled: compared !== null,
  });
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
                <Button size="sm" variant="ghost" aria-expanded={compared === version.version} onClick={() => setCompared(compared === version.version ? null : version.version)}>
                  {compared === version.version ? 'Hide changes' : 'Compare with draft'}
                </Button>
                {version.version !== publishedVersion ? (
                  <Button size="sm" variant="ghost" isLoading={rollback.isPending && rollback.variables?.id === version.id} onClick={() => rollback.mutate(version)}>
                    Make live again
                  </Button>
                ) : null}
              </div>
              {compared === version.version ? diff.data ? <DiffSummary diff={diff.data} /> : diff.isError ? <p className="field-error">{describeError(diff.error)}</p> : <LoadingBlock /> : null}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
