import { AppError } from '@weft/kernel';
import { writeOutboxEvent, type Tx } from '@weft/db';
import type { Principal } from '@weft/http';
import { requireAccessIn } from './workspace-access';
import { describeAction, type Caller, type WorkspacesModuleDeps } from './workspaces.deps';
import { WorkspaceErrors } from './workspaces.errors';
import { WorkspaceEvents, type MemberRemovedPayload } from './workspaces.events';
import { can, canActOnMember, canGrantRole, type Permission, type Role } from './workspaces.permissions';
import {
  countOwners,
  deleteMembership,
  findMembership,
  listMembershipsPage,
  updateMembershipRole,
  type MembershipRow,
  type WorkspaceWithRole,
} from './workspaces.repository';

export interface MemberView {
  userId: string;
  role: Role;
  joinedAt: Date;
  /** Present only for callers allowed `members.read-contact` (owners and admins). */
  username?: string | null;
  email?: string | null;
}

export function createMembershipsService(deps: WorkspacesModuleDeps) {
  const { database, audit } = deps;

  function refuse(access: WorkspaceWithRole, permission: Permission, target: MembershipRow): never {
    throw new AppError(WorkspaceErrors.WORKSPACE_FORBIDDEN, `Your role cannot do this to a ${target.role}`, {
      permission,
      role: access.role,
      targetRole: target.role,
    });
  }

  async function findMemberOrThrow(tx: Tx, workspaceId: string, userId: string): Promise<MembershipRow> {
    const member = await findMembership(tx, workspaceId, userId);
    if (!member) throw new AppError(WorkspaceErrors.MEMBER_NOT_FOUND, 'This user is not a member of the workspace', { userId });
    return member;
  }

  /** Every path that takes the owner role away from someone goes through here. */
  async function assertNotLastOwner(tx: Tx, member: MembershipRow): Promise<void> {
    if (member.role === 'owner' && (await countOwners(tx, member.workspaceId)) <= 1) {
      throw new AppError(WorkspaceErrors.WORKSPACE_LAST_OWNER, 'A workspace keeps at least one owner: transfer ownership first');
    }
  }

  async function removeMembership(tx: Tx, by: Caller, member: MembershipRow, reason: 'removed' | 'left'): Promise<void> {
    await deleteMembership(tx, member.workspaceId, member.userId);
    const action = reason === 'left' ? 'workspace.member.left' : 'workspace.member.removed';
    await audit.recordAudit(describeAction(by, action, member.workspaceId, { type: 'user', id: member.userId }, { role: member.role }), tx);
    const payload: MemberRemovedPayload = { workspaceId: member.workspaceId, userId: member.userId, reason };
    await writeOutboxEvent(tx, WorkspaceEvents.memberRemoved, payload);
  }

  async function leaveWorkspace(caller: Caller, ref: string): Promise<void> {
    await database.transaction(async (tx) => {
      const access = await requireAccessIn(tx, caller.principal, ref, 'workspace.read', { lock: true });
      if (access.workspace.kind === 'personal') {
        throw new AppError(WorkspaceErrors.WORKSPACE_PERSONAL, 'You cannot leave your personal workspace');
      }
      const me = await findMemberOrThrow(tx, access.workspace.id, caller.principal.userId);
      await assertNotLastOwner(tx, me);
      await removeMembership(tx, caller, me, 'left');
    });
  }

  return {
    leaveWorkspace,

    /** Members in join order. Contact details need `members.read-contact`: viewers see ids and roles only. */
    async listMembers(
      principal: Principal,
      ref: string,
      page: { after?: { at: Date; userId: string }; limit: number },
    ): Promise<MemberView[]> {
      const access = await requireAccessIn(database.db, principal, ref, 'members.read');
      const rows = await listMembershipsPage(database.db, access.workspace.id, page);
      const members: MemberView[] = rows.map((row) => ({ userId: row.userId, role: row.role, joinedAt: row.createdAt }));
      if (!can(access.role, 'members.read-contact') || members.length === 0) return members;
      const users = new Map((await deps.users.findUsersByIds(members.map((m) => m.userId))).map((u) => [u.id, u]));
      return members.map((m) => ({ ...m, username: users.get(m.userId)?.username ?? null, email: users.get(m.userId)?.email ?? null }));
    },

    async changeMemberRole(caller: Caller, ref: string, userId: string, role: Role): Promise<MemberView> {
      return database.transaction(async (tx) => {
        const access = await requireAccessIn(tx, caller.principal, ref, 'members.change-role', { lock: true });
        const member = await findMemberOrThrow(tx, access.workspace.id, userId);
        if (!canActOnMember(access.role, member.role) || !canGrantRole(access.role, role)) {
          refuse(access, 'members.change-role', member);
        }
        const view = { userId, role, joinedAt: member.createdAt };
        if (member.role === role) return view;
        if (access.workspace.kind === 'personal') {
          throw new AppError(WorkspaceErrors.WORKSPACE_PERSONAL, 'A personal workspace has exactly one owner');
        }
        if (role !== 'owner') await assertNotLastOwner(tx, member);
        await updateMembershipRole(tx, access.workspace.id, userId, role);
        const details = { from: member.role, to: role };
        await audit.recordAudit(describeAction(caller, 'workspace.member.role-changed', access.workspace.id, { type: 'user', id: userId }, details), tx);
        return view;
      });
    },

    /** Removing yourself is leaving, with leaving's rules. */
    async removeMember(caller: Caller, ref: string, userId: string): Promise<void> {
      if (userId === caller.principal.userId) return leaveWorkspace(caller, ref);
      await database.transaction(async (tx) => {
        const access = await requireAccessIn(tx, caller.principal, ref, 'members.remove', { lock: true });
        const member = await findMemberOrThrow(tx, access.workspace.id, userId);
        if (!canActOnMember(access.role, member.role)) refuse(access, 'members.remove', member);
        await assertNotLastOwner(tx, member);
        await removeMembership(tx, caller, member, 'removed');
      });
    },

    /** The target becomes owner and the previous owner an admin, in one transaction. */
    async transferOwnership(caller: Caller, ref: string, userId: string): Promise<MemberView> {
      return database.transaction(async (tx) => {
        const access = await requireAccessIn(tx, caller.principal, ref, 'ownership.transfer', { lock: true });
        if (access.workspace.kind === 'personal') {
          throw new AppError(WorkspaceErrors.WORKSPACE_PERSONAL, 'A personal workspace cannot change hands');
        }
        if (userId === caller.principal.userId) {
          throw new AppError(WorkspaceErrors.WORKSPACE_TRANSFER_INVALID, 'You already own this workspace');
        }
        const target = await findMemberOrThrow(tx, access.workspace.id, userId);
        await updateMembershipRole(tx, access.workspace.id, userId, 'owner');
        await updateMembershipRole(tx, access.workspace.id, caller.principal.userId, 'admin');
        const details = { previousRole: target.role };
        await audit.recordAudit(describeAction(caller, 'workspace.ownership.transferred', access.workspace.id, { type: 'user', id: userId }, details), tx);
        return { userId, role: 'owner' as const, joinedAt: target.createdAt };
      });
    },
  };
}

export type MembershipsService = ReturnType<typeof createMembershipsService>;
