import { hashIpAddress, newId, type Clock, type SubjectRef } from '@weft/kernel';
import type { Database, DbExecutor } from '@weft/db';
import {
  anonymizeAuditRowsOf,
  deleteAuditRowsBefore,
  insertAuditRow,
  listAuditRows,
  listAuditRowsAbout,
  type AuditFilter,
  type AuditRow,
} from './audit.repository';

export interface AuditEntryInput {
  actor: { type: 'user' | 'token' | 'system' | 'admin'; id?: string | null };
  action: string;
  target?: { type: string; id: string } | null;
  workspaceId?: string | null;
  /** The caller's address; only a keyed hash of its network is stored. */
  ip?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditServiceDeps {
  database: Database;
  clock: Clock;
  /** Key for hashing IP addresses (derived from the instance secret). */
  ipHashKey: string;
  /** How long entries are kept (default 365 days). */
  retentionDays?: number;
}

export const ERASED_ACTOR = 'erased-subject';

export function createAuditService(deps: AuditServiceDeps) {
  const retentionDays = deps.retentionDays ?? 365;
  return {
    /**
     * Pass the transaction of the change being audited so the entry and the
     * change commit or roll back together.
     */
    async recordAudit(entry: AuditEntryInput, executor: DbExecutor = deps.database.db): Promise<void> {
      await insertAuditRow(executor, {
        id: newId(),
        actorType: entry.actor.type,
        actorId: entry.actor.id ?? null,
        action: entry.action,
        targetType: entry.target?.type ?? null,
        targetId: entry.target?.id ?? null,
        workspaceId: entry.workspaceId ?? null,
        ipHash: entry.ip ? hashIpAddress(entry.ip, deps.ipHashKey) : null,
        details: entry.details ?? {},
        at: deps.clock.now(),
      });
    },

    listAudit(filter: AuditFilter, limit: number): Promise<AuditRow[]> {
      return listAuditRows(deps.database.db, filter, limit);
    },

    /** Removes entries older than the retention period; returns how many. */
    purgeExpiredAudit(): Promise<number> {
      const cutoff = new Date(deps.clock.now().getTime() - retentionDays * 86_400_000);
      return deps.database.transaction((tx) => deleteAuditRowsBefore(tx, cutoff));
    },

    async exportSubject(subject: SubjectRef): Promise<Record<string, unknown[]>> {
      const rows = await listAuditRowsAbout(deps.database.db, subject.userId);
      return { audit_log: rows.map(({ ipHash: _ipHash, ...row }) => row) };
    },

    async eraseSubject(subject: SubjectRef): Promise<void> {
      await deps.database.transaction((tx) => anonymizeAuditRowsOf(tx, subject.userId, ERASED_ACTOR));
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
