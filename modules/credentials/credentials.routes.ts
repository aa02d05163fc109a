import {
  CreateCredentialBody,
  CredentialDeleted,
  CredentialPage,
  CredentialParams,
  CredentialTypeList,
  CredentialView,
  PageQuery,
  UpdateCredentialBody,
  WorkspaceParams,
} from '@weft/contracts';
import { decodeCursor, defineRoute, encodeCursor, type RouteDefinition } from '@weft/http';
import { describeCredentialTypes } from './credential-types';
import type { CredentialsService } from './credentials.service';

const BASE = '/api/v1/workspaces/:workspace/credentials';

/** Every reply is a CredentialView: it has no secret field, and the route layer strips undeclared keys. */
export function createCredentialRoutes(credentials: CredentialsService): RouteDefinition[] {
  let types: ReturnType<typeof describeCredentialTypes> | undefined; // static: built on first request, not at boot
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/credential-types',
      auth: 'user',
      summary: 'Credential types with the JSON Schema of their public and secret fields',
      tags: ['credentials'],
      response: CredentialTypeList,
      handler: () => ({ items: (types ??= describeCredentialTypes()) }),
    }),
    defineRoute({
      method: 'GET',
      url: BASE,
      auth: 'user',
      summary: "The workspace's credentials by name (no secrets)",
      tags: ['credentials'],
      params: WorkspaceParams,
      query: PageQuery,
      response: CredentialPage,
      handler: async ({ params, query, principal, ip }) => {
        const cursor = decodeCursor(query.cursor);
        const after = typeof cursor?.name === 'string' && typeof cursor.id === 'string' ? { name: cursor.name, id: cursor.id } : null;
        const rows = await credentials.listCredentials({ principal: principal!, ip }, params.workspace, { limit: query.limit + 1, after });
        const page = rows.slice(0, query.limit);
        const last = page.at(-1);
        return { items: page, nextCursor: rows.length > query.limit && last ? encodeCursor({ name: last.name, id: last.id }) : null };
      },
    }),
    defineRoute({
      method: 'POST',
      url: BASE,
      auth: 'user',
      summary: 'Store a credential; its secret fields are encrypted and never returned',
      tags: ['credentials'],
      params: WorkspaceParams,
      body: CreateCredentialBody,
      response: CredentialView,
      successStatus: 201,
      handler: ({ params, body, principal, ip }) => credentials.createCredential({ principal: principal!, ip }, params.workspace, body),
    }),
    defineRoute({
      method: 'GET',
      url: `${BASE}/:credentialId`,
      auth: 'user',
      summary: 'One credential (no secrets)',
      tags: ['credentials'],
      params: CredentialParams,
      response: CredentialView,
      handler: ({ params, principal, ip }) => credentials.getCredential({ principal: principal!, ip }, params.workspace, params.credentialId),
    }),
    defineRoute({
      method: 'PATCH',
      url: `${BASE}/:credentialId`,
      auth: 'user',
      summary: 'Rename a credential or replace some of its fields (null removes an optional one)',
      tags: ['credentials'],
      params: CredentialParams,
      body: UpdateCredentialBody,
      response: CredentialView,
      handler: ({ params, body, principal, ip }) =>
        credentials.updateCredential({ principal: principal!, ip }, params.workspace, params.credentialId, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${BASE}/:credentialId`,
      auth: 'user',
      summary: 'Delete a credential; workflows that use it fail validation',
      tags: ['credentials'],
      params: CredentialParams,
      response: CredentialDeleted,
      handler: async ({ params, principal, ip }) => {
        await credentials.deleteCredential({ principal: principal!, ip }, params.workspace, params.credentialId);
        return { deleted: true as const, id: params.credentialId };
      },
    }),
  ];
}
