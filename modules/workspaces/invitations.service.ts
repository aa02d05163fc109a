import { AppError, newId, randomToken, sha256Hex } from '@weft/kernel';
import type { Principal } from '@weft/http';
import { refuseWorkspaceBoundToken, requireAccessIn } from './workspace-access';
import { describeAction, type Caller, type WorkspacesModuleDeps } from './workspaces.deps';
import { WorkspaceErrors } from './workspaces.errors';
import { canGrantRole, type InvitableRole } from './workspaces.permissions';
import {
  deleteInvitationsExpiredBefore,
  findInvitationByTokenHashForUpdate,
  findInvitationInWorkspace,
  insertInvitation,
  listInvitationsPage,
  markInvitationAccepted,
  markInvitationRevoked,
  revokePendingInvitationsTo,
  type InvitationRow,
} from './invitations.repository';
import { findLiveWorkspace, insertMembership, listMemberUserIds, type WorkspaceWithRole, type WorkspaceRow } from './workspaces.repository';

const DAY_MS = 86_400_000;
export const INVITATION_VALIDITY_MS = 7 * DAY_MS;
/** Expired, used and revoked invitations are kept this long after expiry for the admins' history, then purged. */
export const INVITATION_PURGE_AFTER_MS = 30 * DAY_MS;

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';
export interface InvitationView {
  id: string;
  email: string;
  role: InvitableRole;
  status: InvitationStatus;
  invitedBy: string;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
}

function assertTeamWorkspace(workspace: WorkspaceRow): void {
  if (workspace.kind === 'personal') {
    throw new AppError(WorkspaceErrors.WORKSPACE_PERSONAL, 'A personal workspace has no other members; create a team workspace');
  }
}

export function createInvitationsService(deps: WorkspacesModuleDeps) {
  const { database, clock, audit } = deps;

  function describeInvitation(row: InvitationRow): InvitationView {
    const status: InvitationStatus = row.acceptedAt
      ? 'accepted'
      : row.revokedAt
        ? 'revoked'
        : row.expiresAt.getTime() <= clock.now().getTime()
          ? 'expired'
          : 'pending';
    const { id, email, role, invitedBy, createdAt, expiresAt, acceptedAt } = row;
    return { id, email, role, status, invitedBy, createdAt, expiresAt, acceptedAt };
  }

  const invalid = () => new AppError(WorkspaceErrors.INVITATION_INVALID, 'This invitation is not valid');

  return {
    /**
     * Emails a single-use link valid 7 days. Only its SHA-256 is stored; the
     * token travels in the URL fragment so it never reaches a server log.
     */
    async inviteMember(caller: Caller, ref: string, input: { email: string; role: InvitableRole }): Promise<InvitationView> {
      const email = input.email.trim().toLowerCase();
      // Users are looked up before the transaction (see WorkspacesModuleDeps.users).
      const before = await requireAccessIn(database.db, caller.principal, ref, 'members.invite');
      assertTeamWorkspace(before.workspace);
      const memberIds = await listMemberUserIds(database.db, before.workspace.id);
      const people = await deps.users.findUsersByIds([...new Set([...memberIds, caller.principal.userId])]);
      if (people.some((person) => memberIds.includes(person.id) && person.email.toLowerCase() === email)) {
        throw new AppError(WorkspaceErrors.MEMBER_ALREADY_EXISTS, 'This person is already a member');
      }
      const inviterName = people.find((person) => person.id === caller.principal.userId)?.username ?? 'A Weft user';

      const token = randomToken(32);
      const { invitation, workspace } = await database.transaction(async (tx) => {
        const access = await requireAccessIn(tx, caller.principal, ref, 'members.invite', { lock: true });
        assertTeamWorkspace(access.workspace);
        if (!canGrantRole(access.role, input.role)) {
          throw new AppError(WorkspaceErrors.WORKSPACE_FORBIDDEN, `Your role cannot invite a ${input.role}`, { permission: 'members.invite', role: access.role });
        }
        const now = clock.now();
        await revokePendingInvitationsTo(tx, access.workspace.id, email, now);
        const row = await insertInvitation(tx, {
          id: newId(),
          workspaceId: access.workspace.id,
          email,
          role: input.role,
          tokenHash: sha256Hex(token),
          invitedBy: caller.principal.userId,
          createdAt: now,
          expiresAt: new Date(now.getTime() + INVITATION_VALIDITY_MS),
        });
        // The address stays out of the audit log: its erasure works by user id, and invitees may have none.
        const target = { type: 'invitation' as const, id: row.id };
        await audit.recordAudit(describeAction(caller, 'workspace.invitation.created', row.workspaceId, target, { role: row.role }), tx);
        return { invitation: row, workspace: access.workspace };
      });
      await deps.sendInvitationEmail({
        to: email,
        workspaceName: workspace.name,
        inviterName,
        acceptUrl: `${deps.publicUrl}/invitations/accept#token=${token}`,
      });
      return describeInvitation(invitation);
    },

    async listInvitations(principal: Principal, ref: string, page: { beforeId?: string; limit: number }): Promise<InvitationView[]> {
      const access = await requireAccessIn(database.db, principal, ref, 'members.invite');
      const rows = await listInvitationsPage(database.db, access.workspace.id, page);
      return rows.map(describeInvitation);
    },

    async revokeInvitation(caller: Caller, ref: string, invitationId: string): Promise<void> {
      await database.transaction(async (tx) => {
        const access = await requireAccessIn(tx, caller.principal, ref, 'members.invite', { lock: true });
        const row = await findInvitationInWorkspace(tx, access.workspace.id, invitationId);
        if (!row) throw new AppError(WorkspaceErrors.INVITATION_NOT_FOUND, 'Invitation not found');
        if (!(await markInvitationRevoked(tx, row.id, clock.now()))) throw invalid();
        const target = { type: 'invitation' as const, id: row.id };
        await audit.recordAudit(describeAction(caller, 'workspace.invitation.revoked', row.workspaceId, target, { role: row.role }), tx);
      });
    },

    /**
     * Single use, within 7 days, by the signed-in user whose email is the one
     * invited: a forwarded or leaked link is useless to anyone else.
     */
    async acceptInvitation(caller: Caller, token: string): Promise<WorkspaceWithRole> {
      refuseWorkspaceBoundToken(caller.principal);
      const [me] = await deps.users.findUsersByIds([caller.principal.userId]);
      return database.transaction(async (tx) => {
        const row = await findInvitationByTokenHashForUpdate(tx, sha256Hex(token));
        if (!row || row.acceptedAt || row.revokedAt || row.expiresAt.getTime() <= clock.now().getTime()) throw invalid();
        const workspace = await findLiveWorkspace(tx, row.workspaceId);
        if (!workspace) throw invalid();
        if (!me || me.email.toLowerCase() !== row.email) {
          throw new AppError(WorkspaceErrors.INVITATION_EMAIL_MISMATCH, 'This invitation was sent to another email address');
        }
        const now = clock.now();
        if (!(await insertMembership(tx, { workspaceId: workspace.id, userId: me.id, role: row.role, createdAt: now }))) {
          throw new AppError(WorkspaceErrors.MEMBER_ALREADY_EXISTS, 'You are already a member of this workspace');
        }
        if (!(await markInvitationAccepted(tx, row.id, me.id, now))) throw invalid();
        const target = { type: 'invitation' as const, id: row.id };
        await audit.recordAudit(describeAction(caller, 'workspace.invitation.accepted', workspace.id, target, { role: row.role }), tx);
        return { workspace, role: row.role };
      });
    },

    purgeExpiredInvitations(): Promise<number> {
      const cutoff = new Date(clock.now().getTime() - INVITATION_PURGE_AFTER_MS);
      return deleteInvitationsExpiredBefore(database.db, cutoff);
    },
  };
}

export type InvitationsService = ReturnType<typeof createInvitationsService>;
