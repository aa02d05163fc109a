import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { useEditorFacts } from './editor-context';
import type { WeftFlowNode } from './graph-conversion';
import { summariseNode } from './node-summary';
import { formatMilliseconds } from '../lib/format';

const KIND_LABELS = { trigger: 'Trigger', action: 'Action', flow: 'Flow' } as const;
const RUN_LABELS = { queued: 'Queued', running: 'Running', succeeded: 'Succeeded', failed: 'Failed', skipped: 'Skipped', waiting: 'Waiting' } as const;

function portOffset(index: number, count: number): string {
  return `${((index + 1) / (count + 1)) * 100}%`;
}

/** A node on the canvas: kind stripe, name, a summary of its params, its ports and its problems. */
function WeftNodeView({ id, data, selected }: NodeProps<WeftFlowNode>) {
  const { describeNodeType, problemsByNode, runStates } = useEditorFacts();
  const runState = runStates.get(id);
  const description = describeNodeType(data.type, data.version);
  const problems = problemsByNode.get(id) ?? [];
  const kind = description?.kind ?? 'action';
  const inputs = description?.ports.inputs ?? ['main'];
  const outputs = description?.ports.outputs ?? ['main'];
  const summary = summariseNode(data);
  const problemText = problems.map((problem) => problem.message).join('\n');

  return (
    <div
      className={['weft-node', `weft-node-${kind}`, selected && 'is-selected', problems.length > 0 && 'has-problems', data.disabled && 'is-disabled', runState && `run-${runState.status}`].filter(Boolean).join(' ')}
      data-node-id={id}
      data-run-status={runState?.status}
      title={problemText || undefined}
    >
      {inputs.map((port, index) => (
        <Handle key={port} id={port} type="target" position={Position.Left} style={{ top: portOffset(index, inputs.length) }}>
          {inputs.length > 1 ? <span className="port-label port-label-in">{port}</span> : null}
        </Handle>
      ))}
      <div className="weft-node-kind">
        {description ? KIND_LABELS[kind] : 'Unknown type'}
        {runState ? (
          <span className={`weft-node-run weft-node-run-${runState.status}`}>
            {RUN_LABELS[runState.status]}
            {runState.durationMs !== null ? ` · ${formatMilliseconds(runState.durationMs)}` : ''}
          </span>
        ) : null}
      </div>
      <div className="weft-node-name">{data.name || description?.name || data.type}</div>
      <div className="weft-node-summary">{summary || description?.name || data.type}</div>
      {problems.length > 0 ? (
        <div className="weft-node-problems" role="note">
          {problems.length === 1 ? problems[0]!.message : `${problems.length} problems`}
        </div>
      ) : null}
      {outputs.map((port, index) => (
        <Handle key={port} id={port} type="source" position={Position.Right} style={{ top: portOffset(index, outputs.length) }}>
          {outputs.length > 1 ? <span className="port-label port-label-out">{port}</span> : null}
        </Handle>
      ))}
    </div>
  );
}

export const WeftNode = memo(WeftNodeView);

/** Defined once, outside any component: xyflow re-creates every node when this object changes. */
export const NODE_TYPES = { weft: WeftNode };
