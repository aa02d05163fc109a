import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { describeError } from '../api/api-client';
import { queryKeys } from '../api/query-keys';
import { buildWebhookUrl, workflowsApi, type WorkflowGraph } from '../api/workflows.api';
import { Button } from '../components/button';
import { CopyButton } from '../components/copy-button';
import { Field, FormError } from '../components/field';
import { CloseIcon, PlayIcon, RocketIcon } from '../components/icons';
import { Textarea } from '../components/input';
import { StatusBadge } from '../components/status-badge';
import { formatMilliseconds } from '../lib/format';
import { findTriggerNode, readWebhookPath } from './run-states';
import type { EditorRun } from './use-editor-run';

interface RunPanelProps {
  workspaceSlug: string;
  workflowId: string;
  graph: WorkflowGraph;
  publishedVersion: number | null;
  isDirty: boolean;
  /** The saved draft's revision: the published-vs-draft comparison is asked again when it changes. */
  draftRevision: string;
  canRun: boolean;
  editorRun: EditorRun;
  /** Publishes the draft (saving it first); resolves with the new version. */
  publish: (message: string) => Promise<unknown>;
  isPublishing: boolean;
  onFocusNode: (nodeId: string) => void;
  onClose: () => void;
}

const AUTO_MESSAGE = 'Published from the editor to run it';

function parseJson(text: string): unknown {
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new Error('The input is not valid JSON: check quotes, commas and brackets.');
  }
}

/**
 * "Run": starts the workflow from the editor and follows it. The server runs
 * published versions only, so a draft that differs is published first (with
 * an automatic message); a webhook workflow is called at its real address.
 */
export function RunPanel(props: RunPanelProps) {
  const { workspaceSlug, workflowId, graph, publishedVersion, isDirty, editorRun } = props;
  const [input, setInput] = useState('{}');
  const [error, setError] = useState<string | null>(null);
  const trigger = findTriggerNode(graph);
  const webhookPath = readWebhookPath(trigger);
  const method = typeof trigger?.params.method === 'string' ? trigger.params.method : 'POST';
  const webhookUrl = webhookPath ? buildWebhookUrl(workspaceSlug, webhookPath) : null;

  const diff = useQuery({
    queryKey: [...queryKeys.versions(workspaceSlug, workflowId), 'diff', publishedVersion, 'draft', props.draftRevision],
    queryFn: () => workflowsApi.diffVersions(workspaceSlug, workflowId, publishedVersion!, 'draft'),
    enabled: publishedVersion !== null && !isDirty,
  });
  const differs =
    publishedVersion === null || isDirty || (diff.data ? diff.data.nodes.added.length + diff.data.nodes.removed.length + diff.data.nodes.changed.length + diff.data.edges.added.length + diff.data.edges.removed.length > 0 : false);
  const isChecking = !differs && diff.isPending;

  const start = async (publishFirst: boolean) => {
    setError(null);
    try {
      const body = parseJson(input);
      if (publishFirst) await props.publish(AUTO_MESSAGE);
      if (webhookUrl) await editorRun.sendWebhook.mutateAsync({ url: webhookUrl, method, body: method === 'GET' ? '' : JSON.stringify(body) });
      else await editorRun.startManual.mutateAsync(body);
    } catch (caught) {
      setError(describeError(caught));
    }
  };
  const isStarting = props.isPublishing || editorRun.startManual.isPending || editorRun.sendWebhook.isPending;
  const verb = webhookUrl ? 'send' : 'run';
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
          {webhookUrl ? (
            <div className="field">
              <span className="field-label">Webhook address ({method})</span>
              <div className="secret-box">
                <span className="grow mono" data-testid="run-webhook-url">{webhookUrl}</span>
                <CopyButton value={webhookUrl} />
              </div>
            </div>
          ) : null}
          <Field
            label={webhookUrl ? 'Test request body (JSON)' : 'Input (JSON)'}
            hint={webhookUrl ? `Sent to the address above as a caller would; the run is followed below.` : 'What the trigger receives; {} when empty.'}
            isOptional
          >
            {(control) => <Textarea {...control} isMono rows={4} spellCheck={false} value={input} onChange={(event) => setInput(event.target.value)} />}
          </Field>
          {differs && !isChecking ? (
            <p className="callout callout-warning" role="note">
              {publishedVersion === null ? 'Nothing is published yet: runs use the published version.' : `The draft differs from live version v${publishedVersion}; runs use the published version.`}
            </p>
          ) : null}
          <FormError message={error} />
          {props.canRun ? (
            <div className="row">
              {differs ? (
                <Button variant="primary" icon={<RocketIcon size={14} />} isLoading={isStarting} disabled={isChecking} onClick={() => void start(true)}>
                  {webhookUrl ? 'Publish and send test request' : 'Publish and run'}
                </Button>
              ) : (
                <Button variant="primary" icon={<PlayIcon size={14} />} isLoading={isStarting} disabled={isChecking} onClick={() => void start(false)}>
                  {webhookUrl ? 'Send test request' : 'Run'}
                </Button>
              )}
              {differs && publishedVersion !== null && !webhookUrl ? (
                <Button isLoading={editorRun.startManual.isPending} onClick={() => void start(false)}>
                  Run live v{publishedVersion}
                </Button>
              ) : null}
            </div>
          ) : (
            <p className="subtle">You can look at runs but not {verb} them in this workspace.</p>
          )}
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
  return (
    <section className="run-progress" aria-label="This run">
      <div className="row-between">
        <h3>
          Run {run ? <span data-testid="editor-run-status"><StatusBadge status={run.status} /></span> : null}
        </h3>
        <Button size="sm" variant="ghost" onClick={editorRun.clear}>
          Clear results
        </Button>
      </div>
      {run ? (
        <>
          <p className="subtle">
            v{run.versionNumber} · {run.steps.length} {run.steps.length === 1 ? 'step' : 'steps'} ·{' '}
            <Link to={`/w/${workspaceSlug}/runs/${run.id}`}>Open the run</Link>
          </p>
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
