import { api } from './api-client';

export type Role = 'owner' | 'admin' | 'member' | 'viewer';
export type InvitableRole = Exclude<Role, 'owner'>;
export const ROLES: Role[] = ['owner', 'admin', 'member', 'viewer'];
export const INVITABLE_ROLES: InvitableRole[] = ['admin', 'member', 'viewer'];

export type Permission =
  | 'workspace.read'
  | 'workspace.update'
  | 'workspace.delete'
  | 'members.read'
  | 'members.read-contact'
  | 'members.invite'
  | 'members.change-role'
  | 'members.remove'
  | 'ownership.transfer'
  | 'resources.read'
  | 'resources.write'
  | 'resources.execute'
  | 'credentials.manage'
  | 'audit.read'
  | 'billing.manage';

export interface Workspace {
  id: string;
  slug: string;
  name: string;
  kind: 'personal' | 'team';
  createdAt: string;
  role: Role;
  permissions: Permission[];
}

export interface Member {
  userId: string;
  role: Role;
  joinedAt: string;
  username?: string | null;
  email?: string | null;
}

export interface Invitation {
  id: string;
  email: string;
  role: InvitableRole;
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const base = (workspace: string) => `/api/v1/workspaces/${encodeURIComponent(workspace)}`;

export const workspacesApi = {
  listWorkspaces: () => api.get<Page<Workspace>>('/api/v1/workspaces', { query: { limit: 200 } }),
  findWorkspace: (workspace: string) => api.get<Workspace>(base(workspace)),
  createWorkspace: (body: { name: string; slug: string }) => api.post<Workspace>('/api/v1/workspaces', body),
  updateWorkspace: (workspace: string, body: { name?: string; slug?: string }) => api.patch<Workspace>(base(workspace), body),
  deleteWorkspace: (workspace: string) => api.delete<null>(base(workspace)),
  leaveWorkspace: (workspace: string) => api.post<null>(`${base(workspace)}/leave`),

  listMembers: (workspace: string) => api.get<Page<Member>>(`${base(workspace)}/members`, { query: { limit: 200 } }),
  changeMemberRole: (workspace: string, userId: string, role: Role) => api.patch<Member>(`${base(workspace)}/members/${userId}`, { role }),
  removeMember: (workspace: string, userId: string) => api.delete<null>(`${base(workspace)}/members/${userId}`),
  transferOwnership: (workspace: string, userId: string) => api.post<Member>(`${base(workspace)}/transfer-ownership`, { userId }),

  listInvitations: (workspace: string) => api.get<Page<Invitation>>(`${base(workspace)}/invitations`, { query: { limit: 100 } }),
  inviteMember: (workspace: string, body: { email: string; role: InvitableRole }) => api.post<Invitation>(`${base(workspace)}/invitations`, body),
  revokeInvitation: (workspace: string, invitationId: string) => api.delete<null>(`${base(workspace)}/invitations/${invitationId}`),
  acceptInvitation: (token: string) => api.post<Workspace>('/api/v1/invitations/accept', { token }),
};

export function hasPermission(workspace: Workspace | undefined, permission: Permission): boolean {
  return workspace?.permissions.includes(permission) ?? false;
}
