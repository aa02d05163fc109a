import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { describeError } from '../api/api-client';
import { runsApi, type NodeTestResult } from '../api/runs.api';
import type { WorkflowGraph } from '../api/workflows.api';
import { Button } from '../components/button';
import { Field, FormError } from '../components/field';
import { PlayIcon } from '../components/icons';
import { Textarea } from '../components/input';
import { StatusBadge } from '../components/status-badge';
import { formatMilliseconds } from '../lib/format';
import { JsonView } from '../pages/runs/json-view';
import { buildPinsFromRun, findLastRun, findUpstreamNodeIds, formatPin, parsePin, readPinnedData, writePinnedData, type PinnedData } from './pinned-data';

interface NodeTestPanelProps {
  workspaceSlug: string;
  workflowId: string;
  nodeId: string;
  graph: WorkflowGraph;
  /** Saves the draft when the canvas has changes: the server tests the saved node. */
  ensureSaved: () => Promise<void>;
  isDirty: boolean;
}

const PIN_DELAY_MS = 300;

/**
 * "Test this node": runs the saved node alone with pinned data and shows what
 * it returned. The pins are remembered per node on this device; the first
 * time, they come from the workflow's last run when there is one.
 */
export function NodeTestPanel({ workspaceSlug, workflowId, nodeId, graph, ensureSaved, isDirty }: NodeTestPanelProps) {
  const [stored] = useState(() => readPinnedData(workflowId, nodeId));
  const [pins, setPins] = useState<PinnedData>(() => stored ?? { input: '', nodes: '' });
  const [isEdited, setEdited] = useState(false);
  const [parseError, setParseError] = useState<string | null>(null);
  const hasUpstream = findUpstreamNodeIds(graph, nodeId).length > 0;

  const lastRun = useQuery({
    queryKey: ['workspaces', workspaceSlug, 'workflows', workflowId, 'last-run'],
    queryFn: () => findLastRun(workspaceSlug, workflowId),
    enabled: stored === null,
    staleTime: 30_000,
  });

  useEffect(() => {
    if (stored !== null || isEdited || !lastRun.data) return;
    const fromRun = buildPinsFromRun(lastRun.data, graph, nodeId);
    if (fromRun) setPins({ input: formatPin(fromRun.input), nodes: Object.keys(fromRun.nodes).length > 0 ? formatPin(fromRun.nodes) : '' });
  }, [stored, isEdited, lastRun.data, graph, nodeId]);

  useEffect(() => {
    if (!isEdited) return;
    const timer = window.setTimeout(() => writePinnedData(workflowId, nodeId, pins), PIN_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [isEdited, pins, workflowId, nodeId]);

  const test = useMutation({
    mutationFn: async (): Promise<NodeTestResult> => {
      const input = parsePin(pins.input, 'input');
      const nodes = parsePin(pins.nodes, 'pinned outputs');
      if (nodes !== undefined && (nodes === null || typeof nodes !== 'object' || Array.isArray(nodes))) throw new Error('Pinned outputs are an object: { "node id": its output }.');
      await ensureSaved();
      return runsApi.testNode(workspaceSlug, workflowId, nodeId, { ...(input === undefined ? {} : { input }), ...(nodes === undefined ? {} : { nodes: nodes as Record<string, unknown> }) });
    },
    onMutate: () => setParseError(null),
    onError: (error) => setParseError(describeError(error)),
  });

  const update = (patch: Partial<PinnedData>) => {
    setEdited(true);
    setPins((current) => ({ ...current, ...patch }));
  };
  const result = test.data;

  return (
    <section className="node-test" aria-labelledby={`test-${nodeId}`}>
      <h3 id={`test-${nodeId}`}>Test this node</h3>
      <p className="field-hint">
        Runs this node alone with the data below — for real, with its credentials — and stores nothing.
        {isDirty ? ' Your changes are saved first.' : ''}
        {stored === null && lastRun.data ? ' Prefilled from the last run.' : ''}
      </p>
      <Field label="Input (JSON)" hint="What the node receives; {} when empty." isOptional>
        {(control) => <Textarea {...control} isMono rows={4} spellCheck={false} value={pins.input} placeholder='{ "name": "Ada" }' onChange={(event) => update({ input: event.target.value })} />}
      </Field>
      {hasUpstream ? (
        <Field label="Pinned outputs of earlier nodes (JSON)" hint="Read by expressions as $nodes.<id>, e.g. { &quot;webhook&quot;: { … } }." isOptional>
          {(control) => <Textarea {...control} isMono rows={3} spellCheck={false} value={pins.nodes} onChange={(event) => update({ nodes: event.target.value })} />}
        </Field>
      ) : null}
      <FormError message={parseError} />
      <div>
        <Button icon={<PlayIcon size={14} />} isLoading={test.isPending} onClick={() => test.mutate()}>
          {isDirty ? 'Save and test' : 'Test node'}
        </Button>
      </div>
      {result ? (
        <div className="node-test-result" role="status" aria-label="Test result">
          <div className="row">
            <StatusBadge status={result.status} />
            {result.port ? <span className="badge">port {result.port}</span> : null}
            <span className="subtle mono">{formatMilliseconds(result.durationMs)}</span>
          </div>
          {result.error !== undefined ? <JsonView value={result.error} label="Error of the test" /> : null}
          {result.output !== undefined ? <JsonView value={result.output} label="Output of the test" /> : result.error === undefined ? <p className="subtle">No output.</p> : null}
        </div>
      ) : null}
    </section>
  );
}
