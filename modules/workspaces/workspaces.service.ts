import { AppError, newId } from '@weft/kernel';
import { writeOutboxEvent, type Tx } from '@weft/db';
import type { Principal } from '@weft/http';
import { refuseWorkspaceBoundToken, requireAccessIn } from './workspace-access';
import { assertSlugAllowed, deriveSlugBase, isSlugUsable, suffixSlug } from './workspace-slug';
import { describeAction, type Caller, type WorkspacesModuleDeps } from './workspaces.deps';
import { WorkspaceErrors } from './workspaces.errors';
import { WorkspaceEvents, type WorkspaceDeletedPayload } from './workspaces.events';
import type { Permission } from './workspaces.permissions';
import { revokePendingInvitationsOfWorkspace } from './invitations.repository';
import {
  findLiveWorkspace,
  insertMembership,
  insertWorkspaceIfSlugFree,
  isSlugTaken,
  isUniqueViolation,
  listWorkspacesOfUser,
  updateWorkspaceRow,
  type WorkspaceRow,
  type WorkspaceWithRole,
} from './workspaces.repository';

export type Workspace = WorkspaceRow;
export type { WorkspaceWithRole };

/** Random suffixes tried after the username itself; 36^4 per try makes running out a bug, not bad luck. */
const PERSONAL_SLUG_ATTEMPTS = 8;

export function createWorkspacesService(deps: WorkspacesModuleDeps) {
  const { database, clock, audit } = deps;

  async function insertSlugOrThrow(tx: Tx, row: Omit<WorkspaceRow, 'deletedAt'>): Promise<void> {
    if (!(await insertWorkspaceIfSlugFree(tx, row))) {
      throw new AppError(WorkspaceErrors.WORKSPACE_SLUG_TAKEN, 'This slug is taken', { slug: row.slug });
    }
  }

  return {
    /**
     * Called by the accounts module inside the transaction that inserts the
     * user, so a failed sign-up leaves no orphan workspace and no user lacks one.
     */
    async createPersonalWorkspace(tx: Tx, input: { userId: string; username: string }): Promise<Workspace> {
      const base = deriveSlugBase(input.username);
      const now = clock.now();
      for (let attempt = 0; attempt <= PERSONAL_SLUG_ATTEMPTS; attempt += 1) {
        const slug = attempt === 0 && isSlugUsable(base) ? base : suffixSlug(base);
        const name = input.username.slice(0, 80) || 'Personal';
        const row = { id: newId(), slug, name, kind: 'personal' as const, createdBy: input.userId, createdAt: now };
        if (!(await insertWorkspaceIfSlugFree(tx, row))) continue;
        await insertMembership(tx, { workspaceId: row.id, userId: input.userId, role: 'owner', createdAt: now });
        const details = { kind: 'personal', slug };
        await audit.recordAudit(describeAction(input, 'workspace.created', row.id, { type: 'workspace', id: row.id }, details), tx);
        return { ...row, deletedAt: null };
      }
      throw new Error(`No free slug for the personal workspace of ${input.userId} after ${PERSONAL_SLUG_ATTEMPTS} attempts`);
    },

    async createTeamWorkspace(caller: Caller, input: { name: string; slug: string }): Promise<WorkspaceWithRole> {
      refuseWorkspaceBoundToken(caller.principal);
      assertSlugAllowed(input.slug);
      const userId = caller.principal.userId;
      const now = clock.now();
      const row = { id: newId(), slug: input.slug, name: input.name, kind: 'team' as const, createdBy: userId, createdAt: now };
      await database.transaction(async (tx) => {
        await insertSlugOrThrow(tx, row);
        await insertMembership(tx, { workspaceId: row.id, userId, role: 'owner', createdAt: now });
        const details = { kind: 'team', slug: row.slug };
        await audit.recordAudit(describeAction(caller, 'workspace.created', row.id, { type: 'workspace', id: row.id }, details), tx);
      });
      return { workspace: { ...row, deletedAt: null }, role: 'owner' };
    },

    async updateWorkspace(caller: Caller, ref: string, patch: { name?: string; slug?: string }): Promise<WorkspaceWithRole> {
      if (patch.slug !== undefined) assertSlugAllowed(patch.slug);
      return database.transaction(async (tx) => {
        const access = await requireAccessIn(tx, caller.principal, ref, 'workspace.update', { lock: true });
        const changes: { name?: string; slug?: string } = {};
        if (patch.name !== undefined && patch.name !== access.workspace.name) changes.name = patch.name;
        if (patch.slug !== undefined && patch.slug !== access.workspace.slug) {
          // Checked first for a clear answer; a concurrent rename to the same slug is caught by the unique index below.
          if (await isSlugTaken(tx, patch.slug)) {
            throw new AppError(WorkspaceErrors.WORKSPACE_SLUG_TAKEN, 'This slug is taken', { slug: patch.slug });
          }
          changes.slug = patch.slug;
        }
        if (Object.keys(changes).length === 0) return access;
        const workspace = await updateWorkspaceRow(tx, access.workspace.id, changes).catch((error: unknown) => {
          if (!isUniqueViolation(error)) throw error;
          throw new AppError(WorkspaceErrors.WORKSPACE_SLUG_TAKEN, 'This slug is taken', { slug: patch.slug });
        });
        const details = { changed: Object.keys(changes), ...(changes.slug ? { fromSlug: access.workspace.slug } : {}) };
        await audit.recordAudit(describeAction(caller, 'workspace.updated', workspace.id, { type: 'workspace', id: workspace.id }, details), tx);
        return { workspace, role: access.role };
      });
    },

    /** Soft delete: the data stays for the other modules' retention, the slug stays reserved. */
    async deleteWorkspace(caller: Caller, ref: string): Promise<void> {
      await database.transaction(async (tx) => {
        const access = await requireAccessIn(tx, caller.principal, ref, 'workspace.delete', { lock: true });
        if (access.workspace.kind === 'personal') {
          throw new AppError(WorkspaceErrors.WORKSPACE_PERSONAL, 'A personal workspace lasts as long as its account');
        }
        const now = clock.now();
        await updateWorkspaceRow(tx, access.workspace.id, { deletedAt: now });
        await revokePendingInvitationsOfWorkspace(tx, access.workspace.id, now);
        const id = access.workspace.id;
        await audit.recordAudit(describeAction(caller, 'workspace.deleted', id, { type: 'workspace', id }), tx);
        await writeOutboxEvent(tx, WorkspaceEvents.workspaceDeleted, { workspaceId: id, reason: 'deleted' } satisfies WorkspaceDeletedPayload);
      });
    },

    /** The caller's workspaces; a workspace-bound API token sees only its own. */
    listMyWorkspaces(principal: Principal, page: { afterId?: string; limit: number }): Promise<WorkspaceWithRole[]> {
      return listWorkspacesOfUser(database.db, principal.userId, { ...page, onlyWorkspaceId: principal.tokenWorkspaceId });
    },

    listWorkspacesOf(userId: string): Promise<WorkspaceWithRole[]> {
      return listWorkspacesOfUser(database.db, userId, { limit: 10_000 });
    },

    /** No access check: for system paths such as resolving a webhook subdomain. */
    findWorkspace(ref: string): Promise<Workspace | null> {
      return findLiveWorkspace(database.db, ref);
    },

    requireWorkspaceAccess(principal: Principal | null, ref: string, permission: Permission): Promise<WorkspaceWithRole> {
      return requireAccessIn(database.db, principal, ref, permission);
    },
  };
}

export type WorkspacesService = ReturnType<typeof createWorkspacesService>;
