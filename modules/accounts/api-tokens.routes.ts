import { AccountItemParams, ApiTokenList, CreateApiTokenBody, CreatedApiToken, Done } from '@weft/contracts';
import { defineRoute, type RouteDefinition } from '@weft/http';
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
      body: CreateApiTokenBody,
      response: CreatedApiToken,
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
      response: ApiTokenList,
      handler: async ({ principal }) => ({ items: await apiTokens.listApiTokens(principal!.userId) }),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/tokens/:id',
      auth: 'user',
      summary: 'Revoke one of your API tokens',
      tags: ['accounts'],
      params: AccountItemParams,
      response: Done,
      handler: async ({ principal, params, request }) => {
        await apiTokens.revokeApiToken(requireSession(principal).userId, params.id, readRequestMeta(request));
        return { status: 'ok' as const };
      },
    }),
  ];
}
