import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import { queryRows, type DbExecutor, type Tx } from '@weft/db';
import { newId } from '@weft/kernel';
import { findNextTick, type MissedFirePolicy } from './cron-ticks';
import type { ScheduleSpec } from './trigger-specs';
import { workflowSchedules } from './triggers.tables';

export type ScheduleRow = typeof workflowSchedules.$inferSelect;

export interface TriggerTarget {
  workspaceId: string;
  workflowId: string;
  versionId: string;
}

/** A due schedule this scheduler holds until `claimed_until`. */
export interface ClaimedSchedule {
  id: string;
  workspaceId: string;
  workflowId: string;
  cron: string;
  timezone: string;
  missedFirePolicy: MissedFirePolicy;
  nextFireAt: Date;
}

const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;

/**
 * Points the workflow's schedules at a published version. A node whose cron
 * and time zone did not change keeps its id and its `next_fire_at` (no tick
 * lost or fired twice across a publish); a changed one starts over from `now`.
 * Removed nodes and patterns that never fire again lose their row.
 */
export async function replaceSchedules(tx: Tx, target: TriggerTarget, specs: ScheduleSpec[], now: Date): Promise<void> {
  const existing = await tx.select().from(workflowSchedules).where(eq(workflowSchedules.workflowId, target.workflowId));
  const kept = new Set<string>();
  for (const spec of specs) {
    const row = existing.find((candidate) => candidate.nodeId === spec.nodeId);
    const isSameTiming = row !== undefined && row.cron === spec.cron && row.timezone === spec.timezone;
    const nextFireAt = isSameTiming ? row.nextFireAt : findNextTick(spec, now);
    if (nextFireAt === null) continue;
    const values = { versionId: target.versionId, cron: spec.cron, timezone: spec.timezone, missedFirePolicy: spec.missedFirePolicy, nextFireAt, updatedAt: now };
    await tx
      .insert(workflowSchedules)
      .values({ id: row?.id ?? newId(), workspaceId: target.workspaceId, workflowId: target.workflowId, nodeId: spec.nodeId, createdAt: now, ...values })
      .onConflictDoUpdate({ target: [workflowSchedules.workflowId, workflowSchedules.nodeId], set: values });
    kept.add(spec.nodeId);
  }
  await deleteSchedulesOfWorkflows(tx, [target.workflowId], [...kept]);
}

/** Deletes the schedules of these workflows, except those of `keepNodeIds`. */
export async function deleteSchedulesOfWorkflows(executor: DbExecutor, workflowIds: string[], keepNodeIds: string[] = []): Promise<void> {
  if (workflowIds.length === 0) return;
  const ofWorkflows = inArray(workflowSchedules.workflowId, workflowIds);
  await executor.delete(workflowSchedules).where(keepNodeIds.length === 0 ? ofWorkflows : and(ofWorkflows, notInArray(workflowSchedules.nodeId, keepNodeIds)));
}

export async function deleteWorkspaceSchedules(executor: DbExecutor, workspaceId: string): Promise<void> {
  await executor.delete(workflowSchedules).where(eq(workflowSchedules.workspaceId, workspaceId));
}

export async function listScheduledWorkflowIds(executor: DbExecutor): Promise<string[]> {
  const rows = await executor.selectDistinct({ workflowId: workflowSchedules.workflowId }).from(workflowSchedules);
  return rows.map((row) => row.workflowId);
}

export async function listWorkspaceSchedules(executor: DbExecutor, workspaceId: string): Promise<ScheduleRow[]> {
  return executor.select().from(workflowSchedules).where(eq(workflowSchedules.workspaceId, workspaceId)).orderBy(asc(workflowSchedules.nextFireAt), asc(workflowSchedules.id));
}

/**
 * Takes up to `limit` due schedules nobody holds. One statement: SKIP LOCKED
 * keeps a racing scheduler off rows being claimed, and a committed claim's
 * `claimed_until` keeps it off them afterwards — so a tick is handed to one
 * scheduler only. Time comes from the caller's clock, not the database's.
 */
export async function claimDueSchedules(executor: DbExecutor, holder: string, now: Date, leaseMs: number, limit: number): Promise<ClaimedSchedule[]> {
  const rows = await queryRows<Record<string, unknown>>(
    executor,
    sql`UPDATE workflow_schedules SET claimed_by = ${holder}, claimed_until = ${at(new Date(now.getTime() + leaseMs))}
        WHERE id IN (
          SELECT id FROM workflow_schedules
          WHERE next_fire_at <= ${at(now)} AND (claimed_until IS NULL OR claimed_until < ${at(now)})
          ORDER BY next_fire_at LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
        RETURNING id, workspace_id, workflow_id, cron, timezone, missed_fire_policy, next_fire_at`,
  );
  return rows.map((row) => ({
    id: row.id as string,
    workspaceId: row.workspace_id as string,
    workflowId: row.workflow_id as string,
    cron: row.cron as string,
    timezone: row.timezone as string,
    missedFirePolicy: row.missed_fire_policy as MissedFirePolicy,
    nextFireAt: new Date(row.next_fire_at as string | Date),
  }));
}

export interface ScheduleAdvance {
  nextFireAt: Date;
  lastFiredAt: Date | null;
  lastRunId: string | null;
  now: Date;
}

/**
 * Moves a held schedule past the ticks just fired and lets it go. Guarded by
 * the cron and time zone it was claimed with: when a publish changed them
 * meanwhile, the publish already set the new `next_fire_at`, so only the hold
 * is released. Returns false in that case or when the row is gone.
 */
export async function advanceSchedule(executor: DbExecutor, claim: ClaimedSchedule, holder: string, advance: ScheduleAdvance): Promise<boolean> {
  const held = and(eq(workflowSchedules.id, claim.id), eq(workflowSchedules.claimedBy, holder));
  const rows = await executor
    .update(workflowSchedules)
    .set({
      nextFireAt: advance.nextFireAt,
      ...(advance.lastFiredAt ? { lastFiredAt: advance.lastFiredAt } : {}),
      ...(advance.lastRunId ? { lastRunId: advance.lastRunId } : {}),
      claimedBy: null,
      claimedUntil: null,
      updatedAt: advance.now,
    })
    .where(and(held, eq(workflowSchedules.cron, claim.cron), eq(workflowSchedules.timezone, claim.timezone)))
    .returning({ id: workflowSchedules.id });
  if (rows.length === 0) await releaseSchedule(executor, claim.id, holder, null);
  return rows.length === 1;
}

/** Lets a held schedule go; with `retryAt` nobody claims it before then (a failing start backs off). */
export async function releaseSchedule(executor: DbExecutor, id: string, holder: string, retryAt: Date | null): Promise<void> {
  await executor
    .update(workflowSchedules)
    .set({ claimedBy: null, claimedUntil: retryAt })
    .where(and(eq(workflowSchedules.id, id), eq(workflowSchedules.claimedBy, holder)));
}

export async function deleteSchedule(executor: DbExecutor, id: string): Promise<void> {
  await executor.delete(workflowSchedules).where(eq(workflowSchedules.id, id));
}
