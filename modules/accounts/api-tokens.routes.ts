import { z } from 'zod';
import { defineRoute, type RouteDefinition } from '@weft/http';
import { ApiTokenReply, Done, Scope } from './accounts.schemas';
import type { ApiTokensService } from './api-tokens.service';
import { ACCOUNT_READ_SCOPE, readRequestMeta, requireSession } from './route-helpers';

export function createApiTokenRoutes(apiTokens: ApiTokensService): RouteDefinition[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/tokens',
      auth: 'user',
      summary: 'Create an API token for one workspace; the secret (weft_…) is shown once',
      tags: ['accounts'],
      body: z.object({
        name: z.string().trim().min(1).max(100),
        scopes: z.array(Scope).min(1).max(50),
        /** Id or slug of a workspace the user belongs to. */
        workspaceId: z.string().min(1).max(100),
        expiresAt: z.iso.datetime({ offset: true }).optional(),
      }),
      response: z.object({ token: ApiTokenReply, secret: z.string() }),
      successStatus: 201,
      handler: ({ principal, body, request }) =>
        apiTokens.createApiToken(
          {
            userId: requireSession(principal).userId,
            workspaceRef: body.workspaceId,
            name: body.name,
            scopes: body.scopes,
            expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
          },
          readRequestMeta(request),
        ),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/tokens',
      auth: 'user',
      scope: ACCOUNT_READ_SCOPE,
      summary: 'Your API tokens that are not revoked (never their secrets)',
      tags: ['accounts'],
      response: z.object({ items: z.array(ApiTokenReply) }),
      handler: async ({ principal }) => ({ items: await apiTokens.listApiTokens(principal!.userId) }),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/tokens/:id',
      auth: 'user',
      summary: 'Revoke one of your API tokens',
      tags: ['accounts'],
      params: z.object({ id: z.uuid() }),
      response: Done,
      handler: async ({ principal, params, request }) => {
        await apiTokens.revokeApiToken(requireSession(principal).userId, params.id, readRequestMeta(request));
        return { status: 'ok' as const };
      },
    }),
  ];
}
