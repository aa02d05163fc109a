import type { RunStep, RunView } from '../../api/runs.api';
import type { WorkflowGraph } from '../../api/workflows.api';
import { Button } from '../../components/button';
import { PlayIcon } from '../../components/icons';
import { StatusBadge } from '../../components/status-badge';
import { formatMilliseconds } from '../../lib/format';
import { JsonView } from './json-view';

interface StepTimelineProps {
  run: RunView;
  graph: WorkflowGraph | null;
  onReplayFrom: ((nodeId: string) => void) | null;
  replayingNodeId: string | null;
}

/** What a step received: the trigger payload for a trigger, else its upstream node's output. */
function findStepInput(step: RunStep, run: RunView, graph: WorkflowGraph | null): { value: unknown; source: string } | null {
  if (!graph) return null;
  const incoming = graph.edges.find((edge) => edge.to === step.nodeId);
  if (!incoming) return { value: run.input, source: 'the trigger payload' };
  const upstream = run.steps.find((item) => item.nodeId === incoming.from);
  const name = graph.nodes.find((node) => node.id === incoming.from)?.name || incoming.from;
  return upstream ? { value: upstream.output, source: `the output of “${name}”` } : null;
}

export function StepTimeline({ run, graph, onReplayFrom, replayingNodeId }: StepTimelineProps) {
  if (run.steps.length === 0) {
    return <p className="subtle">{run.status === 'queued' ? 'Waiting for a worker to pick the run up…' : 'No step has finished yet.'}</p>;
  }
  const steps = [...run.steps].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const start = new Date(run.startedAt ?? steps[0]!.startedAt).getTime();
  const end = Math.max(new Date(run.finishedAt ?? steps.at(-1)!.finishedAt).getTime(), ...steps.map((step) => new Date(step.finishedAt).getTime()));
  const total = Math.max(end - start, 1);

  return (
    <ol className="timeline" aria-label="Steps in the order they ran">
      {steps.map((step) => {
        const node = graph?.nodes.find((item) => item.id === step.nodeId);
        const stepStart = new Date(step.startedAt).getTime();
        const duration = new Date(step.finishedAt).getTime() - stepStart;
        const input = findStepInput(step, run, graph);
        return (
          <li key={step.nodeId} className={`timeline-step timeline-${step.status}`}>
            <details>
              <summary>
                <span className="timeline-dot" aria-hidden="true" />
                <span className="timeline-name">
                  <strong>{node?.name || step.nodeId}</strong>
                  <span className="subtle mono"> {node?.type ?? ''}</span>
                  {step.port && step.port !== 'main' ? <span className="badge"> → {step.port}</span> : null}
                  {step.attempts > 1 ? <span className="badge badge-warning">{step.attempts} attempts</span> : null}
                </span>
                <span className="timeline-bar" aria-hidden="true">
                  <span style={{ left: `${((stepStart - start) / total) * 100}%`, width: `max(3px, ${(duration / total) * 100}%)` }} />
                </span>
                <span className="timeline-duration mono">{formatMilliseconds(duration)}</span>
                <StatusBadge status={step.status} />
              </summary>
              <div className="timeline-details">
                {input ? (
                  <section>
                    <h3>Input <span className="subtle">({input.source})</span></h3>
                    <JsonView value={input.value} label={`Input of ${step.nodeId}`} />
                  </section>
                ) : null}
                <section>
                  <h3>Output {step.outputTruncated ? <span className="badge badge-warning">truncated</span> : null}</h3>
                  <JsonView value={step.output} label={`Output of ${step.nodeId}`} />
                </section>
                {step.error ? (
                  <section>
                    <h3>Error</h3>
                    <JsonView value={step.error} label={`Error of ${step.nodeId}`} />
                  </section>
                ) : null}
                {onReplayFrom ? (
                  <div>
                    <Button size="sm" icon={<PlayIcon size={14} />} isLoading={replayingNodeId === step.nodeId} onClick={() => onReplayFrom(step.nodeId)}>
                      Replay from this step
                    </Button>
                  </div>
                ) : null}
              </div>
            </details>
          </li>
        );
      })}
    </ol>
  );
}
