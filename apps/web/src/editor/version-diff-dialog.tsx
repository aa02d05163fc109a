import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Background, BackgroundVariant, Handle, Position, ReactFlow, ReactFlowProvider, type NodeProps } from '@xyflow/react';
import { useMemo, useState } from 'react';
import { describeError } from '../api/api-client';
import { queryKeys } from '../api/query-keys';
import { workflowsApi, type GraphDiff } from '../api/workflows.api';
import { Button } from '../components/button';
import { Dialog } from '../components/dialog';
import { ErrorState } from '../components/empty-state';
import { Select } from '../components/input';
import { LoadingBlock } from '../components/spinner';
import { useToast } from '../components/toast';
import { readDraftGraph } from './graph-conversion';
import { buildDiffCanvas, countChanges, type DiffFlowNode } from './version-diff-graph';

/** Which two graphs to compare: an older published version and a newer one or the saved draft. */
export interface VersionComparison {
  from: number;
  to: number | 'draft';
}

const STATUS_LABELS = { added: 'Added', removed: 'Removed', changed: 'Changed', same: '' } as const;

function DiffNodeView({ data }: NodeProps<DiffFlowNode>) {
  return (
    <div className={`weft-node diff-${data.status}`} data-diff-status={data.status}>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="weft-node-kind">
        <span>{data.type}</span>
        {data.status !== 'same' ? <span className={`weft-node-run diff-badge-${data.status}`}>{STATUS_LABELS[data.status]}</span> : null}
      </div>
      <div className="weft-node-name">{data.label}</div>
      {data.paths.length > 0 ? <div className="weft-node-summary">{data.paths.join(', ')}</div> : null}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}

const DIFF_NODE_TYPES = { diff: DiffNodeView };

interface VersionDiffDialogProps {
  workspaceSlug: string;
  workflowId: string;
  comparison: VersionComparison;
  publishedVersion: number | null;
  canRollback: boolean;
  onClose: () => void;
  onRolledBack: (version: number) => void;
}

/** Two versions on one read-only canvas: added nodes green, removed red and ghosted, changed amber, with the changed params listed. */
export function VersionDiffDialog({ workspaceSlug, workflowId, comparison: initial, publishedVersion, canRollback, onClose, onRolledBack }: VersionDiffDialogProps) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [comparison, onChange] = useState(initial);
  const { from, to } = comparison;
  const versionsKey = queryKeys.versions(workspaceSlug, workflowId);
  const listed = useQuery({ queryKey: versionsKey, queryFn: () => workflowsApi.listVersions(workspaceSlug, workflowId) });
  const versions = listed.data?.items.map((item) => item.version) ?? [];
  const loadGraph = async (version: number | 'draft') =>
    readDraftGraph(version === 'draft' ? (await workflowsApi.findWorkflow(workspaceSlug, workflowId)).draftGraph : (await workflowsApi.findVersion(workspaceSlug, workflowId, version)).graph);
  const older = useQuery({ queryKey: [...versionsKey, 'graph', from], queryFn: () => loadGraph(from) });
  const newer = useQuery({ queryKey: [...versionsKey, 'graph', to], queryFn: () => loadGraph(to), staleTime: to === 'draft' ? 0 : Infinity });
  const diff = useQuery({ queryKey: [...versionsKey, 'diff', from, to], queryFn: () => workflowsApi.diffVersions(workspaceSlug, workflowId, from, to) });
  const canvas = useMemo(() => (older.data && newer.data && diff.data ? buildDiffCanvas(older.data, newer.data, diff.data) : null), [older.data, newer.data, diff.data]);

  const rollback = useMutation({
    mutationFn: () => workflowsApi.rollbackWorkflow(workspaceSlug, workflowId, from, `Rollback to v${from}`),
    onSuccess: (published) => {
      toast.showSuccess(`Version ${published.version} is live (a copy of v${from}).`);
      void queryClient.invalidateQueries({ queryKey: versionsKey });
      onRolledBack(published.version);
      onClose();
    },
    onError: (error) => toast.showError(describeError(error)),
  });

  const error = older.error ?? newer.error ?? diff.error;
  const toLabel = to === 'draft' ? 'the saved draft' : `v${to}`;
  return (
    <Dialog
      isOpen
      isWide
      title={`Changes from v${from} to ${toLabel}`}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Close</Button>
          {canRollback && from !== publishedVersion ? (
            <Button variant="primary" isLoading={rollback.isPending} onClick={() => rollback.mutate()}>
              Make v{from} live again
            </Button>
          ) : null}
        </>
      }
    >
      <div className="stack">
        <label className="row">
          <span>Compare v{from} with</span>
          <Select value={String(to)} onChange={(event) => onChange({ from, to: event.target.value === 'draft' ? 'draft' : Number(event.target.value) })}>
            <option value="draft">the saved draft</option>
            {versions.filter((version) => version !== from).map((version) => (
              <option key={version} value={version}>
                v{version}
              </option>
            ))}
          </Select>
        </label>
        {error ? (
          <ErrorState error={error} />
        ) : !canvas || !diff.data ? (
          <LoadingBlock label="Comparing…" />
        ) : (
          <>
            <p className="row diff-legend" aria-label="Legend">
              <span className="badge badge-success">{diff.data.nodes.added.length} added</span>
              <span className="badge badge-danger">{diff.data.nodes.removed.length} removed</span>
              <span className="badge badge-warning">{diff.data.nodes.changed.length} changed</span>
              <span className="subtle">{countChanges(diff.data) === 0 ? 'No differences.' : `${diff.data.edges.added.length + diff.data.edges.removed.length} connections changed`}</span>
            </p>
            <div className="diff-canvas" role="group" aria-label={`Graph of ${toLabel} with the changes since v${from} marked`}>
              <ReactFlowProvider>
                <ReactFlow nodes={canvas.nodes} edges={canvas.edges} nodeTypes={DIFF_NODE_TYPES} fitView nodesDraggable={false} nodesConnectable={false} nodesFocusable={false} edgesFocusable={false} elementsSelectable={false} minZoom={0.1}>
                  <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} />
                </ReactFlow>
              </ReactFlowProvider>
            </div>
            <DiffList diff={diff.data} />
          </>
        )}
      </div>
    </Dialog>
  );
}

function DiffList({ diff }: { diff: GraphDiff }) {
  const lines = [
    ...diff.nodes.added.map((id) => ({ kind: 'added', text: `+ node ${id}` })),
    ...diff.nodes.removed.map((id) => ({ kind: 'removed', text: `− node ${id}` })),
    ...diff.nodes.changed.map((change) => ({ kind: 'changed', text: `~ ${change.nodeId}: ${change.paths.join(', ')}` })),
    ...diff.edges.added.map((edge) => ({ kind: 'added', text: `+ ${edge.from} → ${edge.to}` })),
    ...diff.edges.removed.map((edge) => ({ kind: 'removed', text: `− ${edge.from} → ${edge.to}` })),
  ];
  if (lines.length === 0) return null;
  return (
    <ul className="list-plain diff-lines diff-lines-marked mono" aria-label="Changed nodes, params and connections">
      {lines.map((line) => (
        <li key={line.text} className={`diff-${line.kind}`}>
          {line.text}
        </li>
      ))}
    </ul>
  );
}
