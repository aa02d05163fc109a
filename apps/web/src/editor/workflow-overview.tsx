import type { GraphProblem, WorkflowGraph } from '../api/workflows.api';
import { buildWebhookUrl } from '../api/workflows.api';
import { CopyButton } from '../components/copy-button';
import { AlertIcon } from '../components/icons';

interface WorkflowOverviewProps {
  graph: WorkflowGraph;
  problems: GraphProblem[];
  workspaceSlug: string;
  isPublished: boolean;
  onFocusNode: (nodeId: string) => void;
}

const SHORTCUTS: [string, string][] = [
  ['Ctrl/⌘ S', 'Save the draft'],
  ['Ctrl/⌘ Z', 'Undo'],
  ['Ctrl/⌘ Shift Z', 'Redo'],
  ['Ctrl/⌘ C, V', 'Copy, paste nodes'],
  ['Ctrl/⌘ D', 'Duplicate'],
  ['Delete', 'Delete the selection'],
  ['Shift + drag', 'Select several nodes'],
];

/** The side panel when no node is selected: problems, webhook addresses, shortcuts. */
export function WorkflowOverview({ graph, problems, workspaceSlug, isPublished, onFocusNode }: WorkflowOverviewProps) {
  const webhooks = graph.nodes.filter((node) => node.type === 'trigger.webhook' && typeof node.params.path === 'string');
  return (
    <div className="inspector-body">
      <section className="stack-sm">
        <h2>Problems</h2>
        {problems.length === 0 ? (
          <p className="subtle">None found when the draft was last saved.</p>
        ) : (
          <ul className="list-plain inspector-problems" aria-label="Problems of the draft">
            {problems.map((problem, index) => (
              <li key={index}>
                {problem.nodeId ? (
                  <button type="button" className="link-button" onClick={() => onFocusNode(problem.nodeId!)}>
                    <AlertIcon size={14} /> <strong>{problem.nodeId}</strong>: {problem.message}
                  </button>
                ) : (
                  <span>
                    <AlertIcon size={14} /> {problem.message}
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      {webhooks.length > 0 ? (
        <section className="stack-sm">
          <h2>Webhooks</h2>
          {webhooks.map((node) => (
            <div key={node.id} className="stack-sm">
              <span className="subtle">
                {String(node.params.method ?? 'POST')} · {node.name || node.id}
              </span>
              <div className="secret-box">
                <span className="grow">{buildWebhookUrl(workspaceSlug, String(node.params.path))}</span>
                <CopyButton value={buildWebhookUrl(workspaceSlug, String(node.params.path))} />
              </div>
            </div>
          ))}
          {isPublished ? null : <p className="subtle">Publish the workflow to switch its webhooks on.</p>}
        </section>
      ) : null}
      <section className="stack-sm">
        <h2>Keyboard</h2>
        <dl className="shortcut-list">
          {SHORTCUTS.map(([keys, action]) => (
            <div key={keys}>
              <dt>
                <kbd>{keys}</kbd>
              </dt>
              <dd>{action}</dd>
            </div>
          ))}
        </dl>
      </section>
    </div>
  );
}
