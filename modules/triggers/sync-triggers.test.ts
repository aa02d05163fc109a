import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { writeOutboxEvent } from '@weft/db';
import { WorkspaceEvents } from '@weft/workspaces';
import { createTriggersHarness, silentLogger, type TriggersHarness } from './test-fixtures/triggers-harness';

let h: TriggersHarness;
beforeAll(async () => {
  h = await createTriggersHarness();
});
afterAll(async () => {
  await h.close();
});

const schedule = (cron: string, extra: Record<string, unknown> = {}) => ({ type: 'trigger.schedule', params: { cron, ...extra } });
const onEvent = (event: string) => ({ type: 'trigger.event', params: { event } });
const schedulesOf = async (workflowId: string) => (await h.triggers.api.listSchedules(h.alpha.id)).filter((row) => row.workflowId === workflowId);

describe('keeping schedules in step with published versions', () => {
  it('a published schedule trigger gets a schedule with its next tick, once however often the event comes', async () => {
    const workflowId = await h.publishWorkflow(schedule('0 9 * * *', { timezone: 'Europe/Berlin', missedFirePolicy: 'skip' }));
    expect(await schedulesOf(workflowId)).toEqual([]);
    const delivered = await h.deliverEvents();
    expect(delivered.map((event) => event.name)).toContain('workflows.version.published');
    const [row] = await schedulesOf(workflowId);
    expect(row).toMatchObject({ nodeId: 'start', cron: '0 9 * * *', timezone: 'Europe/Berlin', missedFirePolicy: 'skip' });
    // 09:00:30Z on 5 January is 10:00:30 in Berlin: the next 09:00 Berlin is 08:00Z on the 6th.
    expect(row!.nextFireAt.toISOString()).toBe('2026-01-06T08:00:00.000Z');
    await h.triggers.api.syncWorkflow(h.alpha.id, workflowId);
    await h.triggers.api.syncWorkflow(h.alpha.id, workflowId);
    expect(await schedulesOf(workflowId)).toEqual([row]);
  });

  it('publishing a different cron replaces the schedule; the same cron keeps its next tick', async () => {
    const workflowId = await h.publishWorkflow(schedule('0 * * * *'));
    await h.deliverEvents();
    const [first] = await schedulesOf(workflowId);
    expect(first!.nextFireAt.toISOString()).toBe('2026-01-05T10:00:00.000Z');

    await h.republish(workflowId, schedule('*/5 * * * *'));
    await h.deliverEvents();
    const [second] = await schedulesOf(workflowId);
    expect(second).toMatchObject({ id: first!.id, cron: '*/5 * * * *' });
    expect(second!.nextFireAt.toISOString()).toBe('2026-01-05T09:05:00.000Z');
    expect(second!.versionId).not.toBe(first!.versionId);

    h.clock.advance(60_000);
    await h.republish(workflowId, schedule('*/5 * * * *', { missedFirePolicy: 'fire-all' }));
    await h.deliverEvents();
    const [third] = await schedulesOf(workflowId);
    expect(third).toMatchObject({ id: first!.id, missedFirePolicy: 'fire-all', nextFireAt: second!.nextFireAt });
  });

  it('replacing the trigger with another kind removes the schedule and adds the event trigger', async () => {
    const workflowId = await h.publishWorkflow(schedule('0 * * * *'));
    await h.deliverEvents();
    await h.republish(workflowId, onEvent('workspaces.member.removed'));
    await h.deliverEvents();
    expect(await schedulesOf(workflowId)).toEqual([]);
    const started = await h.triggers.api.startEventRuns('workspaces.member.removed', { workspaceId: h.alpha.id, userId: h.bob, reason: 'left' }, 'evt-replaced');
    expect(started).toBe(1);
  });

  it('archiving removes the schedule', async () => {
    const workflowId = await h.publishWorkflow(schedule('0 * * * *'));
    await h.deliverEvents();
    expect(await schedulesOf(workflowId)).toHaveLength(1);
    await h.archive(workflowId);
    const delivered = await h.deliverEvents();
    expect(delivered.map((event) => event.name)).toContain('workflows.workflow.archived');
    expect(await schedulesOf(workflowId)).toEqual([]);
  });

  it('an older publish delivered late (a retried event) still leaves the current version’s schedule', async () => {
    const workflowId = await h.publishWorkflow(schedule('0 * * * *'));
    const firstVersionId = (await h.workflows.api.catalog.findWorkflowRunSettings(h.alpha.id, workflowId))!.publishedVersionId;
    await h.republish(workflowId, schedule('30 * * * *'));
    await h.deliverEvents();
    const sync = h.triggers.subscribers.find((subscriber) => subscriber.name === 'triggers.sync-published-version')!;
    await sync.deliver({ workflowId, workspaceId: h.alpha.id, versionId: firstVersionId, version: 1 }, { eventId: 'late', logger: silentLogger });
    const [row] = await schedulesOf(workflowId);
    expect(row!.cron).toBe('30 * * * *');
  });

  it('reconcile rebuilds lost rows and removes rows of workflows no longer published', async () => {
    const kept = await h.publishWorkflow(schedule('15 * * * *'));
    await h.deliverEvents();
    const gone = await h.publishWorkflow(schedule('45 * * * *'));
    await h.deliverEvents();
    // The archive event is lost: the reconcile job is the safety net.
    await h.archive(gone);
    await h.database.db.execute(sql`DELETE FROM outbox_events WHERE delivered_at IS NULL`);
    await h.database.db.execute(sql`DELETE FROM workflow_schedules WHERE workflow_id = ${kept}`);
    await h.triggers.api.reconcileAll();
    expect(await schedulesOf(kept)).toHaveLength(1);
    expect(await schedulesOf(gone)).toEqual([]);
  });

  it('a deleted workspace loses its schedules, and only its own', async () => {
    const inBeta = await h.publishWorkflow(schedule('0 * * * *'), h.beta);
    const inAlpha = await h.publishWorkflow(schedule('0 * * * *'));
    await h.deliverEvents();
    await h.database.transaction((tx) => writeOutboxEvent(tx, WorkspaceEvents.workspaceDeleted, { workspaceId: h.beta.id, reason: 'deleted' }));
    await h.deliverEvents();
    expect(await h.triggers.api.listSchedules(h.beta.id)).toEqual([]);
    expect(await schedulesOf(inAlpha)).toHaveLength(1);
    expect(inBeta).toBeTruthy();
  });
});
