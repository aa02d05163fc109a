import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError, describeError } from '../api/api-client';
import { describeRunVersion } from '../api/runs.api';
import { buildWebhookUrl, type WorkflowGraph } from '../api/workflows.api';
import { Button } from '../components/button';
import { CopyButton } from '../components/copy-button';
import { Field, FormError } from '../components/field';
import { CloseIcon, PlayIcon } from '../components/icons';
import { Textarea } from '../components/input';
import { StatusBadge } from '../components/status-badge';
import { formatMilliseconds } from '../lib/format';
import { findTriggerNode, readWebhookPath } from './run-states';
import type { EditorRun } from './use-editor-run';

interface RunPanelProps {
  workspaceSlug: string;
  graph: WorkflowGraph;
  publishedVersion: number | null;
  isDirty: boolean;
  canRun: boolean;
  editorRun: EditorRun;
  /** Saves the draft if it has unsaved changes: a draft run runs the saved draft. */
  ensureSaved: () => Promise<unknown>;
  onFocusNode: (nodeId: string) => void;
  onClose: () => void;
}

function parseJson(text: string): unknown {
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new Error('The input is not valid JSON: check quotes, commas and brackets.');
  }
}

/** A refused draft names its problems; they are also shown on the nodes once saved. */
function describeStartError(error: unknown): string {
  if (error instanceof ApiError && error.code === 'WORKFLOW_INVALID' && Array.isArray(error.details)) {
    const count = error.details.length;
    return `The draft has ${count} ${count === 1 ? 'problem' : 'problems'} to fix before it can run: see the marked nodes.`;
  }
  return describeError(error);
}

/**
 * "Run": runs the saved draft (saving it first) without publishing it, and
 * follows it on the canvas. A published workflow can also be run live: its
 * published version by hand, or its webhook called at its real address.
 */
export function RunPanel(props: RunPanelProps) {
  const { workspaceSlug, graph, publishedVersion, isDirty, editorRun } = props;
  const [input, setInput] = useState('{}');
  const [error, setError] = useState<string | null>(null);
  const trigger = findTriggerNode(graph);
  const webhookPath = readWebhookPath(trigger);
  const method = typeof trigger?.params.method === 'string' ? trigger.params.method : 'POST';
  const liveWebhookUrl = webhookPath && publishedVersion !== null ? buildWebhookUrl(workspaceSlug, webhookPath) : null;
  const isWebhook = trigger?.type === 'trigger.webhook';

  const start = async (target: 'draft' | 'live') => {
    setError(null);
    try {
      const body = parseJson(input);
      if (target === 'draft') {
        await props.ensureSaved();
        await editorRun.startDraft.mutateAsync(body);
      } else if (liveWebhookUrl) {
        await editorRun.sendWebhook.mutateAsync({ url: liveWebhookUrl, method, body: method === 'GET' ? '' : JSON.stringify(body) });
      } else {
        await editorRun.startManual.mutateAsync(body);
      }
    } catch (caught) {
      setError(describeStartError(caught));
    }
  };
  const verb = liveWebhookUrl ? 'send' : 'run';
  const run = editorRun.run;

  return (
    <div className="inspector-body run-panel">
      <header className="row-between">
        <h2>Run the workflow</h2>
        <Button size="sm" variant="ghost" isIconOnly aria-label="Close the run panel" onClick={props.onClose}>
          <CloseIcon />
        </Button>
      </header>
      {!trigger ? (
        <p className="subtle">Add a trigger node first: it is where a run starts.</p>
      ) : (
        <>
          <Field
            label={isWebhook ? 'Request body (JSON)' : 'Input (JSON)'}
            hint={isWebhook ? `The webhook trigger receives it as the body of a ${method} request.` : 'What the trigger receives; {} when empty.'}
            isOptional
          >
            {(control) => <Textarea {...control} isMono rows={4} spellCheck={false} value={input} onChange={(event) => setInput(event.target.value)} />}
          </Field>
          <p className="subtle" role="note">
            “Run draft” runs the draft as it is now{isDirty ? ' (your changes are saved first)' : ''}; nothing is published.
          </p>
          <FormError message={error} />
          {props.canRun ? (
            <div className="row">
              <Button variant="primary" icon={<PlayIcon size={14} />} isLoading={editorRun.startDraft.isPending} disabled={editorRun.isStarting} onClick={() => void start('draft')}>
                Run draft
              </Button>
              {publishedVersion !== null ? (
                <Button isLoading={editorRun.startManual.isPending || editorRun.sendWebhook.isPending} disabled={editorRun.isStarting} onClick={() => void start('live')}>
                  {liveWebhookUrl ? `Call live webhook (v${publishedVersion})` : `Run live v${publishedVersion}`}
                </Button>
              ) : null}
            </div>
          ) : (
            <p className="subtle">You can look at runs but not {verb} them in this workspace.</p>
          )}
          {liveWebhookUrl ? (
            <div className="field">
              <span className="field-label">Live webhook address ({method})</span>
              <div className="secret-box">
                <span className="grow mono" data-testid="run-webhook-url">{liveWebhookUrl}</span>
                <CopyButton value={liveWebhookUrl} />
              </div>
            </div>
          ) : null}
        </>
      )}
      {editorRun.reply ? (
        <section aria-label="Webhook reply">
          <h3>
            Reply <span className="badge">{editorRun.reply.status}</span>
          </h3>
          <pre className="code-block" tabIndex={0} aria-label="Reply body" data-testid="webhook-reply">{editorRun.reply.body || '(empty)'}</pre>
        </section>
      ) : null}
      {editorRun.runId ? <RunProgress editorRun={editorRun} graph={graph} workspaceSlug={workspaceSlug} onFocusNode={props.onFocusNode} /> : null}
      {run === null && editorRun.runError ? <p className="field-error">{describeError(editorRun.runError)}</p> : null}
    </div>
  );
}

function RunProgress({ editorRun, graph, workspaceSlug, onFocusNode }: { editorRun: EditorRun; graph: WorkflowGraph; workspaceSlug: string; onFocusNode: (nodeId: string) => void }) {
  const run = editorRun.run;
  const status = editorRun.status;
  const hasResponse = run !== null && !editorRun.isLive && run.response !== null && run.response !== undefined && editorRun.reply === null;
  return (
    <section className="run-progress" aria-label="This run">
      <div className="row-between">
        <h3>
          Run {status ? <span data-testid="editor-run-status" aria-live="polite"><StatusBadge status={status} /></span> : null}
        </h3>
        <Button size="sm" variant="ghost" onClick={editorRun.clear}>
          Clear results
        </Button>
      </div>
      {run ? (
        <>
          <p className="subtle">
            {describeRunVersion(run)} · {run.steps.length} {run.steps.length === 1 ? 'step' : 'steps'} ·{' '}
            <Link to={`/w/${workspaceSlug}/runs/${run.id}`}>Open the run</Link>
          </p>
          {hasResponse ? (
            <section aria-label="Run response">
              <h4>Response</h4>
              <pre className="code-block" tabIndex={0} aria-label="Response of the run" data-testid="run-response">{JSON.stringify(run.response, null, 2)}</pre>
            </section>
          ) : null}
          <ol className="list-plain run-node-list" aria-label="Nodes in this run">
            {graph.nodes.map((node) => {
              const state = editorRun.nodeStates.get(node.id);
              return (
                <li key={node.id}>
                  <button type="button" className="run-node-item" onClick={() => onFocusNode(node.id)}>
                    <span className="grow">{node.name || node.id}</span>
                    {state?.durationMs != null ? <span className="subtle mono">{formatMilliseconds(state.durationMs)}</span> : null}
                    <StatusBadge status={state?.status ?? 'not run'} />
                  </button>
                </li>
              );
            })}
          </ol>
        </>
      ) : (
        <p className="subtle">Starting…</p>
      )}
    </section>
  );
}
