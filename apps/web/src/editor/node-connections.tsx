import { Field } from '../components/field';
import { Select } from '../components/input';
import { useEditorFacts } from './editor-context';
import type { WeftFlowNode } from './graph-conversion';
import type { EditorState } from './use-editor-state';

/**
 * Connects this node's inputs from a list: the keyboard (and screen reader)
 * way to do what dragging between ports does on the canvas.
 */
export function NodeConnections({ node, editor }: { node: WeftFlowNode; editor: EditorState }) {
  const { describeNodeType } = useEditorFacts();
  const inputs = describeNodeType(node.data.type, node.data.version)?.ports.inputs ?? [];
  if (inputs.length === 0) return null;

  const sources = editor.nodes
    .filter((other) => other.id !== node.id)
    .flatMap((other) => (describeNodeType(other.data.type, other.data.version)?.ports.outputs ?? ['main']).map((port) => ({ node: other, port })));

  return (
    <>
      {inputs.map((input) => {
        const incoming = editor.edges.find((edge) => edge.target === node.id && (edge.targetHandle ?? 'main') === input);
        const current = incoming ? `${incoming.source}\u0000${incoming.sourceHandle ?? 'main'}` : '';
        return (
          <Field key={input} label={inputs.length > 1 ? `Input “${input}” comes from` : 'Input comes from'}>
            {(control) => (
              <Select
                {...control}
                value={current}
                onChange={(event) => {
                  const [from = '', fromPort = 'main'] = event.target.value.split('\u0000');
                  editor.connectPorts({ from, fromPort, to: node.id, toPort: input }, true);
                }}
              >
                <option value="">Nothing connected</option>
                {sources.map((source) => (
                  <option key={`${source.node.id}:${source.port}`} value={`${source.node.id}\u0000${source.port}`}>
                    {source.node.data.name || source.node.id}
                    {source.port !== 'main' ? ` → ${source.port}` : ''}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        );
      })}
    </>
  );
}
