import { and, desc, eq, lt, or, sql, type SQL } from 'drizzle-orm';
import { queryRows, type DbExecutor, type Tx } from '@weft/db';
import { auditLog } from './audit.tables';

export type AuditRow = typeof auditLog.$inferSelect;
export type NewAuditRow = typeof auditLog.$inferInsert;

export interface AuditFilter {
  actorId?: string;
  action?: string;
  workspaceId?: string;
  targetId?: string;
  /** Keyset cursor: rows strictly older than this (at, id). */
  before?: { at: Date; id: string };
}

export async function insertAuditRow(executor: DbExecutor, row: NewAuditRow): Promise<void> {
  await executor.insert(auditLog).values(row);
}

export async function listAuditRows(executor: DbExecutor, filter: AuditFilter, limit: number): Promise<AuditRow[]> {
  const conditions: SQL[] = [];
  if (filter.actorId) conditions.push(eq(auditLog.actorId, filter.actorId));
  if (filter.action) conditions.push(eq(auditLog.action, filter.action));
  if (filter.workspaceId) conditions.push(eq(auditLog.workspaceId, filter.workspaceId));
  if (filter.targetId) conditions.push(eq(auditLog.targetId, filter.targetId));
  if (filter.before) {
    conditions.push(
      or(lt(auditLog.at, filter.before.at), and(eq(auditLog.at, filter.before.at), lt(auditLog.id, filter.before.id)))!,
    );
  }
  return executor
    .select()
    .from(auditLog)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit);
}

/** The append-only trigger lets changes through only when this is set for the transaction. */
async function allowAuditMaintenance(tx: Tx): Promise<void> {
  await tx.execute(sql`SELECT set_config('weft.audit_maintenance', 'on', true)`);
}

export async function deleteAuditRowsBefore(tx: Tx, cutoff: Date): Promise<number> {
  await allowAuditMaintenance(tx);
  const rows = await queryRows<{ id: string }>(tx, sql`DELETE FROM audit_log WHERE at < ${cutoff.toISOString()} RETURNING id`);
  return rows.length;
}

/** Erasure keeps the record that an action happened but cuts it loose from the person. */
export async function anonymizeAuditRowsOf(tx: Tx, userId: string, replacement: string): Promise<number> {
  await allowAuditMaintenance(tx);
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`UPDATE audit_log SET
          actor_id = CASE WHEN actor_id = ${userId} THEN ${replacement} ELSE actor_id END,
          target_id = CASE WHEN target_id = ${userId} THEN ${replacement} ELSE target_id END,
          ip_hash = CASE WHEN actor_id = ${userId} THEN NULL ELSE ip_hash END,
          details = CASE WHEN actor_id = ${userId} OR target_id = ${userId} THEN '{}'::jsonb ELSE details END
        WHERE actor_id = ${userId} OR target_id = ${userId}
        RETURNING id`,
  );
  return rows.length;
}

export async function listAuditRowsAbout(executor: DbExecutor, userId: string): Promise<AuditRow[]> {
  return executor
    .select()
    .from(auditLog)
    .where(or(eq(auditLog.actorId, userId), eq(auditLog.targetId, userId)))
    .orderBy(desc(auditLog.at));
}
