import type { GraphProblem } from '../api/workflows.api';
import { buildWebhookUrl } from '../api/workflows.api';
import { Button } from '../components/button';
import { CopyButton } from '../components/copy-button';
import { Field } from '../components/field';
import { AlertIcon, TrashIcon } from '../components/icons';
import { Checkbox, Input } from '../components/input';
import { useEditorFacts } from './editor-context';
import type { WeftFlowNode } from './graph-conversion';
import { CredentialPicker, findNodeCredentialTypes } from './credential-picker';
import { NodeConnections } from './node-connections';
import { NodeRunOutput } from './node-run-output';
import { NodeTestPanel } from './node-test-panel';
import { ExpressionScopeProvider } from './expression-scope';
import type { RunStep, RunView } from '../api/runs.api';
import { ObjectFields } from './schema-field';
import type { EditorState } from './use-editor-state';

/** `nodes[3].params.mapping.sum` → `mapping`: the top-level param a problem is about. */
function groupProblemsByParam(problems: GraphProblem[]): Record<string, string> {
  const byParam: Record<string, string> = {};
  for (const problem of problems) {
    const param = /\.params\.([^.[]+)/.exec(problem.path)?.[1];
    if (param && !(param in byParam)) byParam[param] = problem.message;
  }
  return byParam;
}

interface NodeInspectorProps {
  node: WeftFlowNode;
  editor: EditorState;
  workspaceSlug: string;
  isReadOnly: boolean;
  /** Set when "test this node" is allowed (execute permission). */
  nodeTest: { workflowId: string; isDirty: boolean; ensureSaved: () => Promise<void> } | null;
  /** This node's step in the run the editor follows, if it ran. */
  runStep: RunStep | null;
  /** The run the editor follows: its outputs feed expression autocomplete first. */
  run: RunView | null;
  workflowId: string;
}

export function NodeInspector({ node, editor, workspaceSlug, isReadOnly, nodeTest, runStep, run, workflowId }: NodeInspectorProps) {
  const { describeNodeType, problemsByNode } = useEditorFacts();
  const description = describeNodeType(node.data.type, node.data.version);
  const problems = problemsByNode.get(node.id) ?? [];
  const byParam = groupProblemsByParam(problems);
  const general = problems.filter((problem) => !/\.params\./.test(problem.path));
  const credentialTypes = findNodeCredentialTypes(description, node.data.params);
  const webhookPath = node.data.type === 'trigger.webhook' && typeof node.data.params.path === 'string' ? node.data.params.path : null;

  return (
    <div className="inspector-body" aria-label={`Settings of ${node.data.name || node.id}`}>
      <header className="inspector-header">
        <span className={`kind-chip kind-chip-${description?.kind ?? 'action'}`}>{description?.kind ?? 'unknown'}</span>
        <h2>{description?.name ?? node.data.type}</h2>
        {description ? <p className="subtle">{description.description}</p> : <p className="field-error">This node type ({node.data.type} v{node.data.version}) is not installed on this instance.</p>}
        <p className="subtle mono">id: {node.id}</p>
      </header>
      {runStep ? <NodeRunOutput nodeId={node.id} step={runStep} /> : null}
      {general.length > 0 ? (
        <ul className="inspector-problems" aria-label="Problems of this node">
          {general.map((problem, index) => (
            <li key={index}>
              <AlertIcon size={14} /> {problem.message}
            </li>
          ))}
        </ul>
      ) : null}
      <fieldset className="inspector-fields" disabled={isReadOnly}>
        <Field label="Name">
          {(control) => <Input {...control} value={node.data.name} maxLength={200} placeholder={description?.name} onChange={(event) => editor.updateNodeData(node.id, { name: event.target.value }, `${node.id}:name`)} />}
        </Field>
        {description ? (
          <ExpressionScopeProvider workspaceSlug={workspaceSlug} workflowId={workflowId} nodeId={node.id} graph={editor.graph} run={run}>
            <ObjectFields
              schema={description.params}
              value={node.data.params}
              problemsByField={byParam}
              onChange={(params) => editor.updateNodeData(node.id, { params }, `${node.id}:params`)}
            />
          </ExpressionScopeProvider>
        ) : null}
        {credentialTypes.length > 0 ? (
          <CredentialPicker
            types={credentialTypes}
            value={typeof node.data.credentialId === 'string' ? node.data.credentialId : undefined}
            error={problems.find((problem) => /credential/i.test(problem.path) || problem.code.includes('CREDENTIAL'))?.message}
            onChange={(credentialId) => editor.updateNodeData(node.id, { credentialId })}
          />
        ) : null}
        {webhookPath ? (
          <div className="field">
            <span className="field-label">Webhook address</span>
            <div className="secret-box">
              <span className="grow" data-testid="webhook-url">{buildWebhookUrl(workspaceSlug, webhookPath)}</span>
              <CopyButton value={buildWebhookUrl(workspaceSlug, webhookPath)} />
            </div>
            <p className="field-hint">Live once the workflow is published.</p>
          </div>
        ) : null}
        <NodeConnections node={node} editor={editor} />
        <Checkbox label="Skip this node when the workflow runs" checked={node.data.disabled === true} onChange={(event) => editor.updateNodeData(node.id, { disabled: event.target.checked || undefined })} />
      </fieldset>
      {nodeTest ? (
        <NodeTestPanel workspaceSlug={workspaceSlug} workflowId={nodeTest.workflowId} nodeId={node.id} graph={editor.graph} isDirty={nodeTest.isDirty} ensureSaved={nodeTest.ensureSaved} />
      ) : null}
      {isReadOnly ? null : (
        <div>
          <Button variant="ghost" icon={<TrashIcon />} onClick={editor.deleteSelection}>
            Delete node
          </Button>
        </div>
      )}
    </div>
  );
}
