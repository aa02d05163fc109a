import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { describeError } from '../../api/api-client';
import { queryKeys } from '../../api/query-keys';
import { describeRunVersion, findCallbackUrl, isRunFinished, runsApi } from '../../api/runs.api';
import { CopyButton } from '../../components/copy-button';
import { workflowsApi, type WorkflowGraph } from '../../api/workflows.api';
import { hasPermission } from '../../api/workspaces.api';
import { Button, ButtonLink } from '../../components/button';
import { Card } from '../../components/card';
import { ErrorState } from '../../components/empty-state';
import { RefreshIcon, StopIcon } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { LoadingBlock } from '../../components/spinner';
import { StatusBadge } from '../../components/status-badge';
import { useToast } from '../../components/toast';
import { formatDateTime, formatDuration } from '../../lib/format';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useCurrentWorkspace } from '../shell/workspace-scope';
import { JsonView } from './json-view';
import { TRIGGER_LABELS } from './runs-table';
import { StepTimeline } from './step-timeline';
import { useRunEvents } from './use-run-events';

export function RunDetailPage() {
  const workspace = useCurrentWorkspace();
  const { runId = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const toast = useToast();
  useDocumentTitle(`Run ${runId.slice(0, 8)}`);

  // Live from the run's event stream: each step end or status change fetches the run (with its outputs) again.
  const runKey = queryKeys.run(workspace.slug, runId);
  const events = useRunEvents(workspace.slug, runId, () => void queryClient.invalidateQueries({ queryKey: runKey }));
  const run = useQuery({
    queryKey: runKey,
    queryFn: () => runsApi.findRun(workspace.slug, runId),
    // Without the stream: polled every second (every 5 s while waiting for a timer or a callback), never once finished.
    // With it: still re-read every 5 s while unfinished, so a stream that stalls (a proxy holding events back,
    // a notification lost on the way) cannot leave the page showing a run that has long ended.
    refetchInterval: (query) => {
      if (query.state.data && isRunFinished(query.state.data.status)) return false;
      return !events.isUnavailable || query.state.data?.status === 'waiting' ? 5000 : 1000;
    },
  });
  const workflowId = run.data?.workflowId;
  const versionNumber = run.data?.versionNumber ?? null;
  const version = useQuery({
    queryKey: queryKeys.versionGraph(workspace.slug, workflowId ?? '', versionNumber ?? 0),
    queryFn: () => workflowsApi.exportWorkflow(workspace.slug, workflowId!, versionNumber!),
    enabled: Boolean(workflowId && versionNumber !== null),
    staleTime: Infinity, // published versions never change
  });
  // A draft run carries the graph it ran; a published version's comes from its export. The name is the workflow's.
  const workflow = useQuery({
    queryKey: queryKeys.workflow(workspace.slug, workflowId ?? ''),
    queryFn: () => workflowsApi.findWorkflow(workspace.slug, workflowId!),
    enabled: Boolean(workflowId && run.data?.isDraft),
  });

  const goToRun = (newRunId: string) => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.runs(workspace.slug) });
    void navigate(`/w/${workspace.slug}/runs/${newRunId}`);
  };
  const retry = useMutation({ mutationFn: () => runsApi.retryRun(workspace.slug, runId), onSuccess: (reply) => goToRun(reply.runId), onError: (error) => toast.showError(describeError(error)) });
  const replay = useMutation({
    mutationFn: (nodeId: string) => runsApi.replayRun(workspace.slug, runId, nodeId),
    onSuccess: (reply) => goToRun(reply.runId),
    onError: (error) => toast.showError(describeError(error)),
  });
  const cancel = useMutation({
    mutationFn: () => runsApi.cancelRun(workspace.slug, runId),
    onSuccess: () => {
      toast.showSuccess('Cancel requested: the run stops before its next step.');
      return queryClient.invalidateQueries({ queryKey: queryKeys.run(workspace.slug, runId) });
    },
    onError: (error) => toast.showError(describeError(error)),
  });

  if (run.isPending) return <LoadingBlock label="Loading the run…" />;
  if (run.isError) return <div className="page"><ErrorState error={run.error} onRetry={() => void run.refetch()} /></div>;

  const data = run.data;
  const isFinished = isRunFinished(data.status);
  const canExecute = hasPermission(workspace, 'resources.execute');
  const canRetry = isFinished && data.status !== 'succeeded';
  const graph = (data.isDraft ? (data.draftGraph as WorkflowGraph | null) : version.data?.graph) ?? null;
  const workflowName = (data.isDraft ? workflow.data?.name : version.data?.name) ?? 'Workflow';
  const waitingStep = data.status === 'waiting' ? data.steps.find((step) => step.status === 'waiting') : undefined;
  const callbackUrl = waitingStep ? findCallbackUrl(waitingStep.output) : null;

  return (
    <div className="page">
      <PageHeader
        back={{ to: `/w/${workspace.slug}/runs`, label: 'All runs' }}
        title={
          <span className="row">
            {workflowName} <StatusBadge status={data.status} />
          </span>
        }
        description={<span className="mono">Run {data.id}</span>}
        actions={
          canExecute ? (
            <>
              {!isFinished ? (
                <Button icon={<StopIcon />} isLoading={cancel.isPending} disabled={data.cancelRequestedAt !== null} onClick={() => cancel.mutate()}>
                  {data.cancelRequestedAt ? 'Cancelling…' : 'Cancel run'}
                </Button>
              ) : null}
              {canRetry ? (
                <Button variant="primary" icon={<RefreshIcon />} isLoading={retry.isPending} onClick={() => retry.mutate()}>
                  Retry run
                </Button>
              ) : null}
              <ButtonLink to={`/w/${workspace.slug}/workflows/${data.workflowId}`}>Open workflow</ButtonLink>
            </>
          ) : null
        }
      />
      <Card isFlush>
        <div className="card-body">
          <dl className="definition-list">
            <dt>Trigger</dt>
            <dd>{TRIGGER_LABELS[data.triggerKind] ?? data.triggerKind}{data.sourceRunId ? <> · from run <Link to={`/w/${workspace.slug}/runs/${data.sourceRunId}`} className="mono">{data.sourceRunId.slice(0, 8)}</Link></> : null}</dd>
            <dt>Version</dt>
            <dd>{data.isDraft ? <span className="badge badge-accent">Draft</span> : describeRunVersion(data)}</dd>
            <dt>Started</dt>
            <dd>{formatDateTime(data.startedAt ?? data.createdAt)}</dd>
            <dt>Duration</dt>
            <dd>{data.finishedAt ? formatDuration(data.startedAt ?? data.createdAt, data.finishedAt) : data.status === 'waiting' ? 'Waiting…' : 'Still running…'}</dd>
            <dt>Attempt</dt>
            <dd>{data.attempt}</dd>
          </dl>
        </div>
      </Card>
      {data.status === 'waiting' ? (
        <div className="callout callout-warning" role="status">
          <div className="stack-sm grow">
            <strong>The run is waiting{waitingStep ? ` at “${graph?.nodes.find((node) => node.id === waitingStep.nodeId)?.name || waitingStep.nodeId}”` : ''}</strong>
            {callbackUrl ? (
              <>
                <span>It resumes when this address is called (once, with GET or POST; the body becomes the step’s output):</span>
                <div className="secret-box">
                  <span className="grow mono" data-testid="callback-url">{callbackUrl}</span>
                  <CopyButton value={callbackUrl} />
                </div>
              </>
            ) : (
              <span>It resumes by itself at the time its wait step set. No worker is busy with it meanwhile.</span>
            )}
          </div>
        </div>
      ) : null}
      {data.error ? (
        <div className="callout callout-danger" role="alert">
          <div className="stack-sm grow">
            <strong>The run failed</strong>
            <JsonView value={data.error} label="Run error" />
          </div>
        </div>
      ) : null}
      <Card title="Steps" description={isFinished ? `${data.steps.length} step${data.steps.length === 1 ? '' : 's'} ran.` : events.live ? 'Live: steps appear here as they finish.' : 'Steps appear here as they finish.'}>
        <StepTimeline
          run={data}
          graph={graph}
          onReplayFrom={canExecute && isFinished ? (nodeId) => replay.mutate(nodeId) : null}
          replayingNodeId={replay.isPending ? (replay.variables ?? null) : null}
        />
      </Card>
      <div className="grid-2">
        <Card title="Input">
          <JsonView value={data.input} label="Run input" />
        </Card>
        <Card title="Response">
          <JsonView value={data.response} label="Run response" />
        </Card>
      </div>
    </div>
  );
}
