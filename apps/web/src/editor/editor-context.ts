import { createContext, useContext } from 'react';
import type { NodeTypeDescription } from '../api/node-types.api';
import type { GraphProblem } from '../api/workflows.api';
import type { NodeRunState } from './run-states';

/**
 * Read-mostly facts the canvas nodes need: node-type descriptions and the
 * draft's problems by node id. Kept out of node data so that undo history and
 * saved graphs hold only what the API stores.
 */
export interface EditorFacts {
  describeNodeType(type: string, version: number): NodeTypeDescription | undefined;
  problemsByNode: ReadonlyMap<string, GraphProblem[]>;
  /** Each node's state in the run the editor follows (empty when none). */
  runStates: ReadonlyMap<string, NodeRunState>;
}

export const EditorFactsContext = createContext<EditorFacts>({ describeNodeType: () => undefined, problemsByNode: new Map(), runStates: new Map() });

export function useEditorFacts(): EditorFacts {
  return useContext(EditorFactsContext);
}
