import { Link, useNavigate } from 'react-router';
import { describeRunVersion, type RunSummary } from '../../api/runs.api';
import { StatusBadge } from '../../components/status-badge';
import { Table } from '../../components/table';
import { formatDuration, formatRelativeTime } from '../../lib/format';

export const TRIGGER_LABELS: Record<string, string> = {
  manual: 'Manual',
  webhook: 'Webhook',
  retry: 'Retry',
  replay: 'Replay',
  schedule: 'Schedule',
  event: 'App event',
  discord: 'Discord',
  subworkflow: 'Called by a workflow',
};

export function RunsTable({ workspaceSlug, runs, workflowNames }: { workspaceSlug: string; runs: RunSummary[]; workflowNames: Map<string, string> }) {
  const navigate = useNavigate();
  return (
    <Table
      label="Runs"
      head={
        <tr>
          <th scope="col">Status</th>
          <th scope="col">Workflow</th>
          <th scope="col">Trigger</th>
          <th scope="col">Started</th>
          <th scope="col">Duration</th>
        </tr>
      }
    >
      {runs.map((run) => {
        const href = `/w/${workspaceSlug}/runs/${run.id}`;
        return (
          <tr key={run.id} className="is-clickable" onClick={(event) => (event.target as HTMLElement).closest('a') || void navigate(href)}>
            <td>
              <Link to={href} aria-label={`Run ${run.id.slice(0, 8)}, ${run.status}`}>
                <StatusBadge status={run.status} />
              </Link>
            </td>
            <td>
              {workflowNames.get(run.workflowId) ?? 'Workflow'}{' '}
              {run.isDraft ? <span className="badge badge-accent" title="A run of the draft, started from the editor">draft</span> : <span className="subtle">{describeRunVersion(run)}</span>}
            </td>
            <td>{TRIGGER_LABELS[run.triggerKind] ?? run.triggerKind}</td>
            <td title={new Date(run.createdAt).toLocaleString()}>{formatRelativeTime(run.startedAt ?? run.createdAt)}</td>
            <td className="mono">{run.finishedAt ? formatDuration(run.startedAt ?? run.createdAt, run.finishedAt) : run.status === 'waiting' ? 'waiting' : '…'}</td>
          </tr>
        );
      })}
    </Table>
  );
}
