import { and, eq, inArray, notInArray } from 'drizzle-orm';
import type { DbExecutor, Tx } from '@weft/db';
import { newId } from '@weft/kernel';
import type { TriggerTarget } from './schedules.repository';
import type { EventTriggerSpec } from './trigger-specs';
import { workflowEventTriggers } from './triggers.tables';

export type EventTriggerRow = typeof workflowEventTriggers.$inferSelect;

/** Points the workflow's event triggers at a published version; removed nodes lose their row. */
export async function replaceEventTriggers(tx: Tx, target: TriggerTarget, specs: EventTriggerSpec[], now: Date): Promise<void> {
  for (const spec of specs) {
    const values = { versionId: target.versionId, event: spec.event, filter: spec.filter };
    await tx
      .insert(workflowEventTriggers)
      .values({ id: newId(), workspaceId: target.workspaceId, workflowId: target.workflowId, nodeId: spec.nodeId, createdAt: now, ...values })
      .onConflictDoUpdate({ target: [workflowEventTriggers.workflowId, workflowEventTriggers.nodeId], set: values });
  }
  await deleteEventTriggersOfWorkflows(tx, [target.workflowId], specs.map((spec) => spec.nodeId));
}

export async function deleteEventTriggersOfWorkflows(executor: DbExecutor, workflowIds: string[], keepNodeIds: string[] = []): Promise<void> {
  if (workflowIds.length === 0) return;
  const ofWorkflows = inArray(workflowEventTriggers.workflowId, workflowIds);
  await executor.delete(workflowEventTriggers).where(keepNodeIds.length === 0 ? ofWorkflows : and(ofWorkflows, notInArray(workflowEventTriggers.nodeId, keepNodeIds)));
}

export async function deleteWorkspaceEventTriggers(executor: DbExecutor, workspaceId: string): Promise<void> {
  await executor.delete(workflowEventTriggers).where(eq(workflowEventTriggers.workspaceId, workspaceId));
}

export async function listEventTriggerWorkflowIds(executor: DbExecutor): Promise<string[]> {
  const rows = await executor.selectDistinct({ workflowId: workflowEventTriggers.workflowId }).from(workflowEventTriggers);
  return rows.map((row) => row.workflowId);
}

/** The triggers listening for `event` in one workspace: an event never reaches another workspace's workflows. */
export async function listEventTriggersFor(executor: DbExecutor, event: string, workspaceId: string): Promise<EventTriggerRow[]> {
  return executor
    .select()
    .from(workflowEventTriggers)
    .where(and(eq(workflowEventTriggers.event, event), eq(workflowEventTriggers.workspaceId, workspaceId)));
}
