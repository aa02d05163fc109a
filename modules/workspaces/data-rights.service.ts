import { writeOutboxEvent, type Tx } from '@weft/db';
import type { SubjectRef } from '@weft/kernel';
import { describeAction, type WorkspacesModuleDeps } from './workspaces.deps';
import { WorkspaceEvents, type MemberRemovedPayload, type WorkspaceDeletedPayload } from './workspaces.events';
import { anonymizeInviter, deleteInvitationsAddressedTo, listInvitationsAbout, revokePendingInvitationsOfWorkspace } from './invitations.repository';
import {
  anonymizeWorkspaceCreator,
  countOwners,
  deleteMembership,
  deleteWorkspaceRow,
  findSuccessor,
  listMembershipsOfUser,
  listWorkspacesCreatedBy,
  lockWorkspaces,
  updateMembershipRole,
  updateWorkspaceRow,
  type WorkspaceRow,
} from './workspaces.repository';

/** What erased ids become, as in the audit module: the row keeps its meaning without the person. */
export const ERASED_USER = 'erased-subject';

/**
 * A team must not die with one of its owners: the longest-standing admin
 * takes over, else the longest-standing member. Viewers were never trusted to
 * write, so a team with only viewers left is deleted instead.
 */
const SUCCESSOR_ROLES = ['admin', 'member'] as const;

export function createDataRightsService(deps: WorkspacesModuleDeps) {
  const { database, clock, audit } = deps;

  async function deleteForErasure(tx: Tx, workspace: WorkspaceRow, hard: boolean): Promise<void> {
    if (hard) await deleteWorkspaceRow(tx, workspace.id);
    else {
      await updateWorkspaceRow(tx, workspace.id, { deletedAt: clock.now() });
      await revokePendingInvitationsOfWorkspace(tx, workspace.id, clock.now());
    }
    await audit.recordAudit(describeAction('system', 'workspace.deleted', workspace.id, { type: 'workspace', id: workspace.id }, { reason: 'erasure' }), tx);
    await writeOutboxEvent(tx, WorkspaceEvents.workspaceDeleted, { workspaceId: workspace.id, reason: 'erasure' } satisfies WorkspaceDeletedPayload);
  }

  /** Keeps the team alive when the subject is its only owner, or deletes it when nobody can take over. */
  async function handOverIfLastOwner(tx: Tx, workspace: WorkspaceRow, userId: string): Promise<void> {
    if ((await countOwners(tx, workspace.id)) > 1) return;
    const successor = await findSuccessor(tx, workspace.id, SUCCESSOR_ROLES, userId);
    if (!successor) return deleteForErasure(tx, workspace, false);
    await updateMembershipRole(tx, workspace.id, successor.userId, 'owner');
    const details = { previousRole: successor.role, reason: 'erasure of the last owner' };
    await audit.recordAudit(describeAction('system', 'workspace.ownership.transferred', workspace.id, { type: 'user', id: successor.userId }, details), tx);
  }

  return {
    async exportSubject(subject: SubjectRef): Promise<Record<string, unknown[]>> {
      const email = await findEmail(subject.userId);
      const [created, memberships, invitations] = await Promise.all([
        listWorkspacesCreatedBy(database.db, subject.userId),
        listMembershipsOfUser(database.db, subject.userId),
        listInvitationsAbout(database.db, subject.userId, email),
      ]);
      return {
        workspaces: created.map(({ id, slug, name, kind, createdAt, deletedAt }) => ({ id, slug, name, kind, createdAt, deletedAt })),
        memberships: memberships.map(({ workspace, role, joinedAt }) => ({
          workspaceId: workspace.id,
          workspaceSlug: workspace.slug,
          workspaceName: workspace.name,
          role,
          joinedAt,
        })),
        // The token hash is a credential's fingerprint, not information about the person.
        invitations: invitations.map(({ tokenHash: _tokenHash, ...row }) => row),
      };
    },

    /**
     * Deletes the personal workspace and every membership, hands over or
     * deletes teams the subject alone owned, deletes invitations addressed to
     * them and anonymizes what they sent or created.
     */
    async eraseSubject(subject: SubjectRef): Promise<void> {
      const { userId } = subject;
      // Before the transaction: the accounts module answers from its own handle.
      const email = await findEmail(userId);
      await database.transaction(async (tx) => {
        // Lock, then read again: a membership change that committed meanwhile is seen, later ones wait.
        await lockWorkspaces(tx, (await listMembershipsOfUser(tx, userId)).map((m) => m.workspace.id));
        for (const { workspace, role } of await listMembershipsOfUser(tx, userId)) {
          if (workspace.kind === 'personal' && role === 'owner') {
            await deleteForErasure(tx, workspace, true);
            continue;
          }
          if (role === 'owner' && !workspace.deletedAt) await handOverIfLastOwner(tx, workspace, userId);
          await deleteMembership(tx, workspace.id, userId);
          const payload: MemberRemovedPayload = { workspaceId: workspace.id, userId, reason: 'erasure' };
          await writeOutboxEvent(tx, WorkspaceEvents.memberRemoved, payload);
        }
        await deleteInvitationsAddressedTo(tx, userId, email);
        await anonymizeInviter(tx, userId, ERASED_USER);
        await anonymizeWorkspaceCreator(tx, userId, ERASED_USER);
      });
    },
  };

  /** The subject's address, or null when the account is already gone (invitations they accepted are still found by id). */
  async function findEmail(userId: string): Promise<string | null> {
    const [user] = await deps.users.findUsersByIds([userId]);
    return user ? user.email.toLowerCase() : null;
  }
}
