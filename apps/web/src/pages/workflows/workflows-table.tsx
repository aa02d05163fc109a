import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { prefetchWorkflow } from '../../lib/preload-editor';
import type { WorkflowSummary } from '../../api/workflows.api';
import { Table } from '../../components/table';
import { formatRelativeTime } from '../../lib/format';

export function WorkflowsTable({ workspaceSlug, workflows }: { workspaceSlug: string; workflows: WorkflowSummary[] }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  return (
    <Table
      label="Workflows"
      head={
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Status</th>
          <th scope="col">Last change</th>
        </tr>
      }
    >
      {workflows.map((workflow) => {
        const href = `/w/${workspaceSlug}/workflows/${workflow.id}`;
        return (
          // The row is clickable for the mouse; the link inside is what keyboards and screen readers use.
          <tr key={workflow.id} className="is-clickable" onClick={(event) => (event.target as HTMLElement).closest('a') || void navigate(href)}>
            <td>
              <Link to={href} onPointerEnter={() => prefetchWorkflow(queryClient, workspaceSlug, workflow.id)} onFocus={() => prefetchWorkflow(queryClient, workspaceSlug, workflow.id)}>
                <strong>{workflow.name}</strong>
              </Link>
              {workflow.description ? <div className="subtle">{workflow.description}</div> : null}
            </td>
            <td>
              {workflow.publishedVersion ? (
                <span className="badge badge-success">
                  <span className="badge-dot" aria-hidden="true" />
                  Live · v{workflow.publishedVersion}
                </span>
              ) : (
                <span className="badge">Draft</span>
              )}
            </td>
            <td title={new Date(workflow.updatedAt).toLocaleString()}>{formatRelativeTime(workflow.updatedAt)}</td>
          </tr>
        );
      })}
    </Table>
  );
}
