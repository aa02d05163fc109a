import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { queryKeys } from '../../api/query-keys';
import { triggersApi } from '../../api/triggers.api';
import type { WorkflowSummary } from '../../api/workflows.api';
import { Card } from '../../components/card';
import { ErrorState } from '../../components/empty-state';
import { LoadingBlock } from '../../components/spinner';
import { Table } from '../../components/table';
import { formatDateTime, formatRelativeTime } from '../../lib/format';

const REFRESH_MS = 30_000;

/** The schedule triggers of published workflows, soonest first, with when each fires next. */
export function SchedulesCard({ workspaceSlug, workflows }: { workspaceSlug: string; workflows: WorkflowSummary[] }) {
  const schedules = useQuery({ queryKey: queryKeys.schedules(workspaceSlug), queryFn: () => triggersApi.listSchedules(workspaceSlug), refetchInterval: REFRESH_MS });
  const names = new Map(workflows.map((workflow) => [workflow.id, workflow.name]));
  return (
    <Card title="Schedules" description="Published workflows that start on a timetable, soonest first." isFlush>
      {schedules.isPending ? (
        <LoadingBlock label="Loading schedules…" />
      ) : schedules.isError ? (
        <ErrorState error={schedules.error} onRetry={() => void schedules.refetch()} />
      ) : schedules.data.length === 0 ? (
        <p className="card-body subtle">No schedule yet. Start a workflow with the “Schedule” trigger and publish it: it appears here with its next run.</p>
      ) : (
        <Table
          label="Schedules"
          head={
            <tr>
              <th scope="col">Workflow</th>
              <th scope="col">When</th>
              <th scope="col">Next run</th>
              <th scope="col">Last run</th>
            </tr>
          }
        >
          {schedules.data.map((schedule) => (
            <tr key={schedule.id}>
              <td>
                <Link to={`/w/${workspaceSlug}/workflows/${schedule.workflowId}`}>{names.get(schedule.workflowId) ?? 'Workflow'}</Link>
              </td>
              <td>
                <code>{schedule.cron}</code> <span className="subtle">{schedule.timezone}</span>
              </td>
              <td title={formatDateTime(schedule.nextFireAt)}>{formatRelativeTime(schedule.nextFireAt)}</td>
              <td>
                {schedule.lastRunId ? (
                  <Link to={`/w/${workspaceSlug}/runs/${schedule.lastRunId}`} title={formatDateTime(schedule.lastFiredAt)}>
                    {formatRelativeTime(schedule.lastFiredAt)}
                  </Link>
                ) : (
                  'Never'
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
    </Card>
  );
}
