import { INVITABLE_ROLES, WORKSPACE_PERMISSIONS, WORKSPACE_ROLES, type InvitableRole, type Permission, type Role } from '@weft/contracts';

/**
 * Who may do what in a workspace. This table is the whole policy: every use
 * case of every module asks `can(role, permission)` (through
 * `requireWorkspaceAccess`) instead of comparing roles itself, and the README
 * prints the same table. The role and permission names are part of the API
 * and live in packages/contracts; what each role may do is decided here.
 */
export const ROLES = WORKSPACE_ROLES;
export const PERMISSIONS = WORKSPACE_PERMISSIONS;
export { INVITABLE_ROLES, type InvitableRole, type Permission, type Role };

const READ: Permission[] = ['workspace.read', 'members.read', 'resources.read'];

// Written out role by role on purpose: a reviewer reads the policy here, not in a loop.
const PERMISSIONS_BY_ROLE: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set<Permission>([
    ...READ,
    'workspace.update',
    'workspace.delete',
    'members.read-contact',
    'members.invite',
    'members.change-role',
    'members.remove',
    'ownership.transfer',
    'resources.write',
    'resources.execute',
    'credentials.manage',
    'audit.read',
    'billing.manage',
  ]),
  admin: new Set<Permission>([
    ...READ,
    'workspace.update',
    'members.read-contact',
    'members.invite',
    'members.change-role',
    'members.remove',
    'resources.write',
    'resources.execute',
    'credentials.manage',
    'audit.read',
  ]),
  member: new Set<Permission>([...READ, 'resources.write', 'resources.execute']),
  viewer: new Set<Permission>(READ),
};

export function can(role: Role, permission: Permission): boolean {
  return PERMISSIONS_BY_ROLE[role].has(permission);
}

/** The permissions of a role in the order of PERMISSIONS, for the API and the README. */
export function listPermissions(role: Role): Permission[] {
  return PERMISSIONS.filter((permission) => can(role, permission));
}

/**
 * Which members a role may change or remove, on top of `members.change-role`
 * and `members.remove`: an owner acts on anyone; an admin only on members and
 * viewers, so admins cannot push out an owner or each other.
 */
export function canActOnMember(actor: Role, target: Role): boolean {
  if (actor === 'owner') return true;
  return actor === 'admin' && (target === 'member' || target === 'viewer');
}

/** Which roles a role may hand out (by role change or invitation): only an owner makes owners. */
export function canGrantRole(actor: Role, role: Role): boolean {
  if (actor === 'owner') return true;
  return actor === 'admin' && role !== 'owner';
}
