import type { JsonSchema, NodeTypeDescription } from '../api/node-types.api';
import type { GraphNode } from '../api/workflows.api';
import { createNodeId } from './graph-conversion';
import { isStringMap } from './schema-rules';

/** Params a new node starts with: defaults of required params, an empty map for required maps, a fresh webhook path. */
export function buildInitialParams(schema: JsonSchema): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const key of schema.required ?? []) {
    const property = schema.properties?.[key];
    if (!property) continue;
    if (property.default !== undefined) params[key] = property.default;
    else if (isStringMap(property)) params[key] = {};
    else if (key === 'path' && property.type === 'string') params[key] = `hook-${Math.random().toString(36).slice(2, 6)}`;
  }
  return params;
}

export function buildNewNode(description: NodeTypeDescription, position: { x: number; y: number }, takenIds: ReadonlySet<string>): GraphNode {
  return {
    id: createNodeId(description.type, takenIds),
    type: description.type,
    version: description.version,
    name: description.name,
    params: buildInitialParams(description.params),
    position: { x: Math.round(position.x), y: Math.round(position.y) },
  };
}
