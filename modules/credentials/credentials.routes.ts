import { z } from 'zod';
import { decodeCursor, defineRoute, encodeCursor, PageQuery, type RouteDefinition } from '@weft/http';
import { describeCredentialTypes } from './credential-types';
import type { CredentialsService } from './credentials.service';

const iso = z.date().transform((date) => date.toISOString());

/**
 * The only shape a credential leaves the API in. Secret fields are not in it,
 * and the route layer strips undeclared keys, so even a service bug that
 * returned a secret could not put it in a reply.
 */
const CredentialView = z.object({
  id: z.string(),
  type: z.string(),
  name: z.string(),
  publicFields: z.record(z.string(), z.unknown()),
  createdAt: iso,
  updatedAt: iso,
  lastUsedAt: iso.nullable(),
});

const CredentialPage = z.object({ items: z.array(CredentialView), nextCursor: z.string().nullable() });
const CredentialName = z.string().trim().min(1).max(100);
const CredentialData = z.record(z.string(), z.unknown());
const WorkspaceParams = z.object({ workspace: z.string().min(1).max(100) });
const CredentialParams = WorkspaceParams.extend({ credentialId: z.uuid() });

const CredentialTypeList = z.object({
  items: z.array(
    z.object({
      type: z.string(),
      label: z.string(),
      description: z.string(),
      publicSchema: z.record(z.string(), z.unknown()),
      secretSchema: z.record(z.string(), z.unknown()),
    }),
  ),
});

const BASE = '/api/v1/workspaces/:workspace/credentials';

export function createCredentialRoutes(credentials: CredentialsService): RouteDefinition[] {
  const types = describeCredentialTypes(); // static: computed once
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/credential-types',
      auth: 'user',
      summary: 'Credential types with the JSON Schema of their public and secret fields',
      tags: ['credentials'],
      response: CredentialTypeList,
      handler: () => ({ items: types }),
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
      body: z.object({ type: z.string().min(1).max(100), name: CredentialName, data: CredentialData }),
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
      body: z
        .object({ name: CredentialName.optional(), data: CredentialData.optional() })
        .refine((body) => body.name !== undefined || body.data !== undefined, 'send a name, data or both'),
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
      response: z.object({ deleted: z.literal(true), id: z.string() }),
      handler: async ({ params, principal, ip }) => {
        await credentials.deleteCredential({ principal: principal!, ip }, params.workspace, params.credentialId);
        return { deleted: true as const, id: params.credentialId };
      },
    }),
  ];
}
