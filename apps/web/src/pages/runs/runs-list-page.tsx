import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { queryKeys } from '../../api/query-keys';
import { RUN_STATUSES, runsApi, type RunFilters, type RunStatus } from '../../api/runs.api';
import { workflowsApi } from '../../api/workflows.api';
import { Button } from '../../components/button';
import { EmptyState, ErrorState } from '../../components/empty-state';
import { RunsIcon } from '../../components/icons';
import { Checkbox, Select } from '../../components/input';
import { PageHeader } from '../../components/page-header';
import { LoadingBlock } from '../../components/spinner';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useCurrentWorkspace } from '../shell/workspace-scope';
import { RunsTable } from './runs-table';
import { useWorkspaceRunEvents } from './use-run-events';

const PERIODS: Record<string, { label: string; ms: number | null }> = {
  all: { label: 'Any time', ms: null },
  hour: { label: 'Last hour', ms: 3_600_000 },
  day: { label: 'Last 24 hours', ms: 86_400_000 },
  week: { label: 'Last 7 days', ms: 7 * 86_400_000 },
};
/** Only when the workspace's event stream cannot be used. */
const FALLBACK_REFRESH_MS = 3000;

/** Filters live in the URL, so a filtered view can be bookmarked and shared. */
export function RunsListPage() {
  const workspace = useCurrentWorkspace();
  useDocumentTitle(`Runs · ${workspace.name}`);
  const [params, setParams] = useSearchParams();
  const [isAutoRefresh, setAutoRefresh] = useState(true);
  const status = (params.get('status') ?? '') as RunStatus | '';
  const workflowId = params.get('workflow') ?? '';
  const period = params.get('period') ?? 'all';

  const filters = useMemo<RunFilters>(() => {
    const ms = PERIODS[period]?.ms ?? null;
    return {
      ...(status ? { status } : {}),
      ...(workflowId ? { workflowId } : {}),
      // Rounded to the minute so the query key (and cache) stays stable between renders.
      ...(ms ? { from: new Date(Math.floor((Date.now() - ms) / 60_000) * 60_000).toISOString() } : {}),
    };
  }, [status, workflowId, period]);

  const queryClient = useQueryClient();
  const workflows = useQuery({ queryKey: queryKeys.workflows(workspace.slug), queryFn: () => workflowsApi.listWorkflows(workspace.slug) });
  // Live updates: a run created or changing status (the workspace's event stream) reloads the list.
  const stream = useWorkspaceRunEvents(workspace.slug, isAutoRefresh, () => void queryClient.invalidateQueries({ queryKey: queryKeys.runs(workspace.slug) }));
  const runs = useInfiniteQuery({
    queryKey: queryKeys.runs(workspace.slug, filters),
    queryFn: ({ pageParam }) => runsApi.listRuns(workspace.slug, filters, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    refetchInterval: isAutoRefresh && stream.isUnavailable ? FALLBACK_REFRESH_MS : false,
  });

  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const items = runs.data?.pages.flatMap((page) => page.items) ?? [];
  const workflowNames = new Map((workflows.data?.items ?? []).map((workflow) => [workflow.id, workflow.name]));
  const isFiltered = Boolean(status || workflowId || period !== 'all');

  return (
    <div className="page">
      <PageHeader title="Runs" description="Every execution of your workflows, newest first." />
      <div className="toolbar" role="search" aria-label="Filter runs">
        <Select aria-label="Status" value={status} onChange={(event) => setFilter('status', event.target.value)} style={{ width: 'auto' }}>
          <option value="">All statuses</option>
          {RUN_STATUSES.map((item) => (
            <option key={item} value={item}>
              {item.replace('_', ' ')}
            </option>
          ))}
        </Select>
        <Select aria-label="Workflow" value={workflowId} onChange={(event) => setFilter('workflow', event.target.value)} style={{ width: 'auto', maxWidth: 260 }}>
          <option value="">All workflows</option>
          {(workflows.data?.items ?? []).map((workflow) => (
            <option key={workflow.id} value={workflow.id}>
              {workflow.name}
            </option>
          ))}
        </Select>
        <Select aria-label="Period" value={period} onChange={(event) => setFilter('period', event.target.value === 'all' ? '' : event.target.value)} style={{ width: 'auto' }}>
          {Object.entries(PERIODS).map(([key, item]) => (
            <option key={key} value={key}>
              {item.label}
            </option>
          ))}
        </Select>
        <span className="grow" />
        <Checkbox label="Live updates" checked={isAutoRefresh} onChange={(event) => setAutoRefresh(event.target.checked)} />
      </div>
      {runs.isPending ? (
        <LoadingBlock label="Loading runs…" />
      ) : runs.isError ? (
        <ErrorState error={runs.error} onRetry={() => void runs.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState
          icon={<RunsIcon size={22} />}
          title={isFiltered ? 'No runs match these filters' : 'No runs yet'}
          description={isFiltered ? 'Try another status, workflow or period.' : 'Publish a workflow and trigger it — call its webhook, or run it by hand — and its runs appear here as they happen.'}
          actions={isFiltered ? <Button onClick={() => setParams({}, { replace: true })}>Clear filters</Button> : null}
        />
      ) : (
        <>
          <RunsTable workspaceSlug={workspace.slug} runs={items} workflowNames={workflowNames} />
          {runs.hasNextPage ? (
            <div className="row" style={{ justifyContent: 'center' }}>
              <Button isLoading={runs.isFetchingNextPage} onClick={() => void runs.fetchNextPage()}>
                Load older runs
              </Button>
            </div>
          ) : null}
        </>
      )}
    </div>
  );
}
