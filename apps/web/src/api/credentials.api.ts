import type { CreateCredentialBody, CredentialDeleted, CredentialTypeList, CredentialTypeView, CredentialView, Page, UpdateCredentialBody } from '@weft/contracts';
import { api } from './api-client';
import type { JsonSchema } from './node-types.api';

/** A credential as the API shows it: never its secret fields. */
export type Credential = CredentialView;

/** A type with the JSON Schema of the fields shown again (public) and those sealed (secret), read as the subset the forms use. */
export type CredentialType = Omit<CredentialTypeView, 'publicSchema' | 'secretSchema'> & { publicSchema: JsonSchema; secretSchema: JsonSchema };

const base = (workspace: string) => `/api/v1/workspaces/${encodeURIComponent(workspace)}/credentials`;

export const credentialsApi = {
  listCredentialTypes: () => api.get<CredentialTypeList>('/api/v1/credential-types').then((reply) => reply.items as CredentialType[]),
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
  createCredential: (workspace: string, body: CreateCredentialBody) => api.post<Credential>(base(workspace), body),
  updateCredential: (workspace: string, id: string, body: UpdateCredentialBody) => api.patch<Credential>(`${base(workspace)}/${id}`, body),
  deleteCredential: (workspace: string, id: string) => api.delete<CredentialDeleted>(`${base(workspace)}/${id}`),
};
