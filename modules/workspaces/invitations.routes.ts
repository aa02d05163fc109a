import {
  AcceptInvitationBody,
  InvitationPage,
  InvitationParams,
  InvitationView,
  InviteMemberBody,
  NoContent,
  PageQuery,
  WorkspaceParams,
  WorkspaceView,
} from '@weft/contracts';
import { decodeCursor, defineRoute, encodeCursor, type RouteDefinition } from '@weft/http';
import type { InvitationsService } from './invitations.service';
import { toWorkspaceView } from './workspaces.schemas';

export function createInvitationRoutes(invitations: InvitationsService): RouteDefinition[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/workspaces/:workspace/invitations',
      auth: 'user',
      scope: 'workspaces:write',
      summary: 'Invite someone by email (as admin, member or viewer); the link is valid 7 days, once',
      tags: ['workspaces'],
      params: WorkspaceParams,
      body: InviteMemberBody,
      response: InvitationView,
      successStatus: 201,
      // Each call sends an email: keep the platform from being used to spam.
      rateLimit: { max: 30, timeWindowMs: 60_000 },
      handler: async ({ params, body, principal, ip }) =>
        invitations.inviteMember({ principal: principal!, ip }, params.workspace, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/workspaces/:workspace/invitations',
      auth: 'user',
      scope: 'workspaces:read',
      summary: 'Invitations of a workspace, newest first (owners and admins)',
      tags: ['workspaces'],
      params: WorkspaceParams,
      query: PageQuery,
      response: InvitationPage,
      handler: async ({ params, query, principal }) => {
        const beforeId = decodeCursor(query.cursor)?.id;
        const rows = await invitations.listInvitations(principal!, params.workspace, { beforeId, limit: query.limit + 1 });
        const page = rows.slice(0, query.limit);
        const last = page.at(-1);
        return { items: page, nextCursor: rows.length > query.limit && last ? encodeCursor({ id: last.id }) : null };
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/workspaces/:workspace/invitations/:invitationId',
      auth: 'user',
      scope: 'workspaces:write',
      summary: 'Revoke a pending invitation',
      tags: ['workspaces'],
      params: InvitationParams,
      response: NoContent,
      successStatus: 204,
      handler: async ({ params, principal, ip }) => {
        await invitations.revokeInvitation({ principal: principal!, ip }, params.workspace, params.invitationId);
        return null;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      auth: 'user',
      scope: 'workspaces:write',
      summary: 'Accept an invitation sent to your email address',
      tags: ['workspaces'],
      body: AcceptInvitationBody,
      response: WorkspaceView,
      rateLimit: { max: 20, timeWindowMs: 60_000 },
      handler: async ({ body, principal, ip }) =>
        toWorkspaceView(await invitations.acceptInvitation({ principal: principal!, ip }, body.token)),
    }),
  ];
}
