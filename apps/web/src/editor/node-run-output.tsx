import type { RunStep } from '../api/runs.api';
import { StatusBadge } from '../components/status-badge';
import { formatDuration } from '../lib/format';
import { JsonView } from '../pages/runs/json-view';

/** What this node did in the run the editor follows: shown at the top of its settings. */
export function NodeRunOutput({ nodeId, step }: { nodeId: string; step: RunStep }) {
  return (
    <section className="node-run-output" aria-labelledby={`run-output-${nodeId}`}>
      <div className="row-between">
        <h3 id={`run-output-${nodeId}`}>In this run</h3>
        <span className="row">
          <span className="subtle mono">{formatDuration(step.startedAt, step.finishedAt)}</span>
          <StatusBadge status={step.status} />
        </span>
      </div>
      {step.port && step.port !== 'main' ? <p className="subtle">Left through port {step.port}.</p> : null}
      {step.error ? <JsonView value={step.error} label={`Run error of ${nodeId}`} /> : null}
      <JsonView value={step.output} label={`Run output of ${nodeId}`} />
      {step.outputTruncated ? <p className="subtle">The stored output is truncated.</p> : null}
    </section>
  );
}
