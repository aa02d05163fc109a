import { ChangeMemberRoleBody, MemberPage, MemberParams, MemberView, NoContent, PageQuery, TransferOwnershipBody, WorkspaceParams } from '@weft/contracts';
import { decodeCursor, defineRoute, encodeCursor, type RouteDefinition } from '@weft/http';
import type { MembershipsService } from './memberships.service';

export function createMembershipRoutes(memberships: MembershipsService): RouteDefinition[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/workspaces/:workspace/members',
      auth: 'user',
      scope: 'workspaces:read',
      summary: 'Members in join order; owners and admins also see usernames and emails',
      tags: ['workspaces'],
      params: WorkspaceParams,
      query: PageQuery,
      response: MemberPage,
      handler: async ({ params, query, principal }) => {
        const cursor = decodeCursor(query.cursor);
        const after = cursor?.at && cursor.userId ? { at: new Date(cursor.at), userId: cursor.userId } : undefined;
        const validAfter = after && !Number.isNaN(after.at.getTime()) ? after : undefined;
        const rows = await memberships.listMembers(principal!, params.workspace, { after: validAfter, limit: query.limit + 1 });
        const page = rows.slice(0, query.limit);
        const last = page.at(-1);
        return {
          items: page,
          nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.joinedAt.toISOString(), userId: last.userId }) : null,
        };
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/workspaces/:workspace/members/:userId',
      auth: 'user',
      scope: 'workspaces:write',
      summary: "Change a member's role (admins: members and viewers only; only owners make owners)",
      tags: ['workspaces'],
      params: MemberParams,
      body: ChangeMemberRoleBody,
      response: MemberView,
      handler: async ({ params, body, principal, ip }) =>
        memberships.changeMemberRole({ principal: principal!, ip }, params.workspace, params.userId, body.role),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/workspaces/:workspace/members/:userId',
      auth: 'user',
      scope: 'workspaces:write',
      summary: 'Remove a member (admins: members and viewers only); the last owner stays',
      tags: ['workspaces'],
      params: MemberParams,
      response: NoContent,
      successStatus: 204,
      handler: async ({ params, principal, ip }) => {
        await memberships.removeMember({ principal: principal!, ip }, params.workspace, params.userId);
        return null;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/workspaces/:workspace/leave',
      auth: 'user',
      scope: 'workspaces:write',
      summary: 'Leave a team workspace; the last owner must transfer ownership first',
      tags: ['workspaces'],
      params: WorkspaceParams,
      response: NoContent,
      successStatus: 204,
      handler: async ({ params, principal, ip }) => {
        await memberships.leaveWorkspace({ principal: principal!, ip }, params.workspace);
        return null;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/workspaces/:workspace/transfer-ownership',
      auth: 'user',
      scope: 'workspaces:write',
      summary: 'Make a member the owner; you become an admin',
      tags: ['workspaces'],
      params: WorkspaceParams,
      body: TransferOwnershipBody,
      response: MemberView,
      handler: async ({ params, body, principal, ip }) =>
        memberships.transferOwnership({ principal: principal!, ip }, params.workspace, body.userId),
    }),
  ];
}
