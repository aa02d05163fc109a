import { z } from 'zod';
import { IsoDate, Page, WorkspaceParams } from './common';

/** Roles in a workspace, strongest first. What each may do is modules/workspaces' permission table. */
export const WORKSPACE_ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export const Role = z.enum(WORKSPACE_ROLES);
export type Role = z.output<typeof Role>;

/** Roles an invitation can grant; ownership only ever moves by transfer or an owner's decision. */
export const INVITABLE_ROLES = ['admin', 'member', 'viewer'] as const;
export const InvitableRole = z.enum(INVITABLE_ROLES);
export type InvitableRole = z.output<typeof InvitableRole>;

export const WORKSPACE_PERMISSIONS = [
  'workspace.read',
  'workspace.update',
  'workspace.delete',
  'members.read',
  'members.read-contact',
  'members.invite',
  'members.change-role',
  'members.remove',
  'ownership.transfer',
  'resources.read',
  'resources.write',
  'resources.execute',
  'credentials.manage',
  'audit.read',
  'billing.manage',
] as const;
export const Permission = z.enum(WORKSPACE_PERMISSIONS);
export type Permission = z.output<typeof Permission>;

/** 3–40 of `a-z 0-9 -`, not starting or ending with `-`: a valid DNS label, since the slug is a subdomain. */
export const WORKSPACE_SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/;
export const WorkspaceSlug = z.string().regex(WORKSPACE_SLUG_PATTERN, 'Use 3–40 lowercase letters, digits or dashes, not starting or ending with a dash');
const WorkspaceName = z.string().trim().min(1).max(80);

export const WorkspaceView = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  kind: z.enum(['personal', 'team']),
  createdAt: IsoDate,
  role: Role,
  /** What the caller may do here, so a client can hide what would be refused. */
  permissions: z.array(Permission),
});
export type WorkspaceView = z.output<typeof WorkspaceView>;

export const WorkspacePage = Page(WorkspaceView);
export type WorkspacePage = z.output<typeof WorkspacePage>;

export const CreateWorkspaceBody = z.strictObject({ name: WorkspaceName, slug: WorkspaceSlug });
export type CreateWorkspaceBody = z.input<typeof CreateWorkspaceBody>;

export const UpdateWorkspaceBody = z
  .strictObject({ name: WorkspaceName.optional(), slug: WorkspaceSlug.optional() })
  .refine((body) => body.name !== undefined || body.slug !== undefined, 'Give a name or a slug to change');
export type UpdateWorkspaceBody = z.input<typeof UpdateWorkspaceBody>;

export const MemberParams = WorkspaceParams.extend({ userId: z.string().min(1).max(100) });
export type MemberParams = z.output<typeof MemberParams>;

/** A member; `username` and `email` only for callers allowed `members.read-contact`. */
export const MemberView = z.object({
  userId: z.string(),
  role: Role,
  joinedAt: IsoDate,
  username: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
});
export type MemberView = z.output<typeof MemberView>;

export const MemberPage = Page(MemberView);
export type MemberPage = z.output<typeof MemberPage>;

export const ChangeMemberRoleBody = z.strictObject({ role: Role });
export type ChangeMemberRoleBody = z.input<typeof ChangeMemberRoleBody>;

export const TransferOwnershipBody = z.strictObject({ userId: z.string().min(1).max(100) });
export type TransferOwnershipBody = z.input<typeof TransferOwnershipBody>;

export const InvitationView = z.object({
  id: z.string(),
  email: z.string(),
  role: InvitableRole,
  status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
  invitedBy: z.string(),
  createdAt: IsoDate,
  expiresAt: IsoDate,
  acceptedAt: IsoDate.nullable(),
});
export type InvitationView = z.output<typeof InvitationView>;

export const InvitationPage = Page(InvitationView);
export type InvitationPage = z.output<typeof InvitationPage>;

export const InviteMemberBody = z.strictObject({ email: z.email().max(254), role: InvitableRole });
export type InviteMemberBody = z.input<typeof InviteMemberBody>;

export const InvitationParams = WorkspaceParams.extend({ invitationId: z.uuid() });
export type InvitationParams = z.output<typeof InvitationParams>;

/** The token from the fragment of the emailed link. */
export const AcceptInvitationBody = z.strictObject({ token: z.string().min(16).max(200) });
export type AcceptInvitationBody = z.input<typeof AcceptInvitationBody>;
