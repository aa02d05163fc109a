import type { DataRights, PeriodicJob } from '@weft/kernel';
import { auditInventory } from './audit.tables';
import { createAuditRoutes, type RequireWorkspaceAccess } from './audit.routes';
import { createAuditService, type AuditServiceDeps } from './audit.service';

export type { AuditEntryInput, AuditService } from './audit.service';
export type { RequireWorkspaceAccess } from './audit.routes';
export { ERASED_ACTOR } from './audit.service';

export interface AuditModuleDeps extends AuditServiceDeps {
  /**
   * The workspaces module's access check, for `GET /api/v1/workspaces/:workspace/audit-log`.
   * Without it that route is not offered: the CLI and other modules' tests only record entries.
   */
  requireWorkspaceAccess?: RequireWorkspaceAccess;
}

export function createAuditModule(deps: AuditModuleDeps) {
  const audit = createAuditService(deps);
  const purgeJob: PeriodicJob = {
    name: 'audit.purge-expired',
    intervalMs: 6 * 3_600_000,
    async run({ logger }) {
      const removed = await audit.purgeExpiredAudit();
      if (removed > 0) logger.info({ removed }, 'purged expired audit entries');
    },
  };
  const dataRights: DataRights = { module: 'audit', exportSubject: audit.exportSubject, eraseSubject: audit.eraseSubject };
  return {
    routes: createAuditRoutes(audit, deps.requireWorkspaceAccess),
    api: { recordAudit: audit.recordAudit, listAudit: audit.listAudit },
    jobs: [purgeJob],
    inventories: [auditInventory],
    dataRights,
  };
}

export type AuditModule = ReturnType<typeof createAuditModule>;
