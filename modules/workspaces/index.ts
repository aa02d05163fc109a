import type { DataRights, PeriodicJob } from '@weft/kernel';
import { createDataRightsService } from './data-rights.service';
import { createInvitationRoutes } from './invitations.routes';
import { createInvitationsService } from './invitations.service';
import { createMembershipRoutes } from './memberships.routes';
import { createMembershipsService } from './memberships.service';
import type { WorkspacesModuleDeps } from './workspaces.deps';
import { createWorkspaceRoutes } from './workspaces.routes';
import { createWorkspacesService } from './workspaces.service';
import { workspacesInventories } from './workspaces.tables';

export type { InvitationEmail, UserSummary, WorkspaceAuditEntry, WorkspacesModuleDeps } from './workspaces.deps';
export type { Workspace, WorkspaceWithRole } from './workspaces.service';
export type { MemberRemovedPayload, WorkspaceDeletedPayload } from './workspaces.events';
export { WorkspaceEvents } from './workspaces.events';
export { WorkspaceErrors } from './workspaces.errors';
export { composeInvitationMail } from './invitation-mail';
export { can, PERMISSIONS, ROLES, type Permission, type Role } from './workspaces.permissions';

export function createWorkspacesModule(deps: WorkspacesModuleDeps) {
  const workspaces = createWorkspacesService(deps);
  const memberships = createMembershipsService(deps);
  const invitations = createInvitationsService(deps);
  const rights = createDataRightsService(deps);

  const purgeInvitationsJob: PeriodicJob = {
    name: 'workspaces.purge-expired-invitations',
    intervalMs: 24 * 3_600_000,
    async run({ logger }) {
      const removed = await invitations.purgeExpiredInvitations();
      if (removed > 0) logger.info({ removed }, 'purged invitations expired more than 30 days ago');
    },
  };
  const dataRights: DataRights = { module: 'workspaces', exportSubject: rights.exportSubject, eraseSubject: rights.eraseSubject };

  return {
    routes: [...createWorkspaceRoutes(workspaces), ...createMembershipRoutes(memberships), ...createInvitationRoutes(invitations)],
    api: {
      createPersonalWorkspace: workspaces.createPersonalWorkspace,
      requireWorkspaceAccess: workspaces.requireWorkspaceAccess,
      listWorkspacesOf: workspaces.listWorkspacesOf,
      findWorkspace: workspaces.findWorkspace,
    },
    jobs: [purgeInvitationsJob],
    inventories: workspacesInventories,
    dataRights,
  };
}

export type WorkspacesModule = ReturnType<typeof createWorkspacesModule>;
export type WorkspacesApi = WorkspacesModule['api'];
