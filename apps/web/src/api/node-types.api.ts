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

/** One entry of the engine registry's describe(): what the palette and the forms are built from. */
export interface NodeTypeDescription {
  type: string;
  version: number;
  name: string;
  description: string;
  kind: 'trigger' | 'action' | 'flow';
  ports: { inputs: string[]; outputs: string[] };
  hasSideEffects?: boolean;
  isResponse?: boolean;
  credentialType?: string;
  /** Every type the node accepts, when it accepts several (chosen by a param, e.g. http.request's `auth`). */
  credentialTypes?: string[];
  params: JsonSchema;
}

export const nodeTypesApi = {
  listNodeTypes: async (): Promise<NodeTypeDescription[]> => {
    // Accept a bare array (the engine's describe()) or a `{ items }` page.
    const reply = await api.get<NodeTypeDescription[] | { items: NodeTypeDescription[] }>('/api/v1/node-types');
    return Array.isArray(reply) ? reply : reply.items;
  },
};

export function nodeTypeKey(type: string, version: number): string {
  return `${type}@${version}`;
}
