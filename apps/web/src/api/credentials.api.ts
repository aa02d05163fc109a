import { api } from './api-client';
import type { JsonSchema } from './node-types.api';
import type { Page } from './workspaces.api';

/** A credential as the API shows it: never its secret fields. */
export interface Credential {
  id: string;
  type: string;
  name: string;
  publicFields: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  lastUsedAt: string | null;
}

/** A type with the JSON Schema of the fields shown again (public) and those sealed (secret). */
export interface CredentialType {
  type: string;
  label: string;
  description: string;
  publicSchema: JsonSchema;
  secretSchema: JsonSchema;
}

const base = (workspace: string) => `/api/v1/workspaces/${encodeURIComponent(workspace)}/credentials`;

export const credentialsApi = {
  listCredentialTypes: () => api.get<{ items: CredentialType[] }>('/api/v1/credential-types').then((reply) => reply.items),
  /** Every credential of the workspace (they are few: pages of 200 are walked to the end). */
  listCredentials: async (workspace: string): Promise<Credential[]> => {
    const items: Credential[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.get<Page<Credential>>(base(workspace), { query: { limit: 200, cursor } });
      items.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return items;
  },
  createCredential: (workspace: string, body: { type: string; name: string; data: Record<string, unknown> }) => api.post<Credential>(base(workspace), body),
  updateCredential: (workspace: string, id: string, body: { name?: string; data?: Record<string, unknown> }) => api.patch<Credential>(`${base(workspace)}/${id}`, body),
  deleteCredential: (workspace: string, id: string) => api.delete<{ deleted: true; id: string }>(`${base(workspace)}/${id}`),
};
