import type {
  AcceptInvitationBody,
  ChangeMemberRoleBody,
  CreateWorkspaceBody,
  InvitableRole,
  InvitationView,
  InviteMemberBody,
  MemberView,
  Page,
  Permission,
  Role,
  TransferOwnershipBody,
  UpdateWorkspaceBody,
  WorkspaceView,
} from '@weft/contracts';
import { api } from './api-client';

// Types only from the contracts: a value import would put zod in the first page load.
export type { InvitableRole, Page, Permission, Role };
export type Workspace = WorkspaceView;
export type Member = MemberView;
export type Invitation = InvitationView;

/** For selects, in the order of the API's enums (typed against them, so a renamed role fails the build). */
export const ROLES: readonly Role[] = ['owner', 'admin', 'member', 'viewer'];
export const INVITABLE_ROLES: readonly InvitableRole[] = ['admin', 'member', 'viewer'];

const base = (workspace: string) => `/api/v1/workspaces/${encodeURIComponent(workspace)}`;

export const workspacesApi = {
  listWorkspaces: () => api.get<Page<Workspace>>('/api/v1/workspaces', { query: { limit: 200 } }),
  findWorkspace: (workspace: string) => api.get<Workspace>(base(workspace)),
  createWorkspace: (body: CreateWorkspaceBody) => api.post<Workspace>('/api/v1/workspaces', body),
  updateWorkspace: (workspace: string, body: UpdateWorkspaceBody) => api.patch<Workspace>(base(workspace), body),
  deleteWorkspace: (workspace: string) => api.delete<null>(base(workspace)),
  leaveWorkspace: (workspace: string) => api.post<null>(`${base(workspace)}/leave`),

  listMembers: (workspace: string) => api.get<Page<Member>>(`${base(workspace)}/members`, { query: { limit: 200 } }),
  changeMemberRole: (workspace: string, userId: string, role: Role) =>
    api.patch<Member>(`${base(workspace)}/members/${userId}`, { role } satisfies ChangeMemberRoleBody),
  removeMember: (workspace: string, userId: string) => api.delete<null>(`${base(workspace)}/members/${userId}`),
  transferOwnership: (workspace: string, userId: string) =>
    api.post<Member>(`${base(workspace)}/transfer-ownership`, { userId } satisfies TransferOwnershipBody),

  listInvitations: (workspace: string) => api.get<Page<Invitation>>(`${base(workspace)}/invitations`, { query: { limit: 100 } }),
  inviteMember: (workspace: string, body: InviteMemberBody) => api.post<Invitation>(`${base(workspace)}/invitations`, body),
  revokeInvitation: (workspace: string, invitationId: string) => api.delete<null>(`${base(workspace)}/invitations/${invitationId}`),
  acceptInvitation: (token: string) => api.post<Workspace>('/api/v1/invitations/accept', { token } satisfies AcceptInvitationBody),
};

export function hasPermission(workspace: Workspace | undefined, permission: Permission): boolean {
  return workspace?.permissions.includes(permission) ?? false;
}
