import type { NodeTypeDescription as NodeTypeView, NodeTypeList } from '@weft/contracts';
import { api } from './api-client';

/** A JSON Schema as zod's toJSONSchema writes it for node params (the subset the editor reads). */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  format?: string;
}

/** One entry of the engine registry's describe(): what the palette and the forms are built from, its params read as the JSON Schema subset the forms use. */
export type NodeTypeDescription = Omit<NodeTypeView, 'params'> & { params: JsonSchema };

export const nodeTypesApi = {
  listNodeTypes: async (): Promise<NodeTypeDescription[]> => {
    // Accept a bare array (the engine's describe()) or a `{ items }` page.
    const reply = await api.get<NodeTypeList | { items: NodeTypeList }>('/api/v1/node-types');
    return (Array.isArray(reply) ? reply : reply.items) as NodeTypeDescription[];
  },
};

export function nodeTypeKey(type: string, version: number): string {
  return `${type}@${version}`;
}
