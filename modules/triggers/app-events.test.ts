import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeOutboxEvent } from '@weft/db';
import { createCoreNodeRegistry } from '@weft/engine';
import { APP_EVENT_WORKSPACE } from './app-events';
import { createTriggersHarness, type TriggersHarness } from './test-fixtures/triggers-harness';

let h: TriggersHarness;
beforeAll(async () => {
  h = await createTriggersHarness();
});
afterAll(async () => {
  await h.close();
});

const onEvent = (event: string, filter?: string) => ({ type: 'trigger.event', params: { event, ...(filter ? { filter } : {}) } });

async function raise(name: string, payload: Record<string, unknown>): Promise<string> {
  return h.database.transaction((tx) => writeOutboxEvent(tx, name, payload));
}

describe('app events', () => {
  it('the event trigger node offers exactly the events this module delivers', () => {
    const node = createCoreNodeRegistry().describe().find((candidate) => candidate.type === 'trigger.event')!;
    const params = node.params as { properties: { event: { enum: string[] } } };
    expect([...params.properties.event.enum].sort()).toEqual(Object.keys(APP_EVENT_WORKSPACE).sort());
  });

  it('a member-removed event of workspace A starts A’s workflow only, and B’s event B’s only', async () => {
    const inAlpha = await h.publishWorkflow(onEvent('workspaces.member.removed'));
    const inBeta = await h.publishWorkflow(onEvent('workspaces.member.removed'), h.beta);
    await h.deliverEvents();

    const alphaEventId = await raise('workspaces.member.removed', { workspaceId: h.alpha.id, userId: h.bob, reason: 'left' });
    await h.deliverEvents();
    const alphaRuns = await h.listRuns(h.alpha, inAlpha);
    expect(alphaRuns).toHaveLength(1);
    expect(alphaRuns[0]).toMatchObject({ triggerKind: 'event', status: 'queued' });
    expect((await h.runs.api.getRun(h.alpha, alphaRuns[0]!.id)).run.input).toEqual({
      event: 'workspaces.member.removed',
      eventId: alphaEventId,
      payload: { workspaceId: h.alpha.id, userId: h.bob, reason: 'left' },
    });
    expect(await h.listRuns(h.beta, inBeta)).toEqual([]);

    await raise('workspaces.member.removed', { workspaceId: h.beta.id, userId: h.alice, reason: 'removed' });
    await h.deliverEvents();
    expect(await h.listRuns(h.beta, inBeta)).toHaveLength(1);
    expect(await h.listRuns(h.alpha, inAlpha)).toHaveLength(1);
  });

  it('a redelivered event does not start a second run', async () => {
    const workflowId = await h.publishWorkflow(onEvent('workflows.workflow.archived'));
    await h.deliverEvents();
    const payload = { workflowId: '0190d7a0-0000-7000-8000-000000000001', workspaceId: h.alpha.id };
    expect(await h.triggers.api.startEventRuns('workflows.workflow.archived', payload, 'outbox-1')).toBe(1);
    expect(await h.triggers.api.startEventRuns('workflows.workflow.archived', payload, 'outbox-1')).toBe(0);
    expect(await h.listRuns(h.alpha, workflowId)).toHaveLength(1);
    expect(await h.triggers.api.startEventRuns('workflows.workflow.archived', payload, 'outbox-2')).toBe(1);
  });

  it('a filter keeps a run from starting for events it does not accept', async () => {
    const workflowId = await h.publishWorkflow(onEvent('workflows.version.published', 'version > 1'));
    await h.deliverEvents();
    expect(await h.triggers.api.startEventRuns('workflows.version.published', { workspaceId: h.alpha.id, workflowId, version: 1 }, 'f-1')).toBe(0);
    expect(await h.triggers.api.startEventRuns('workflows.version.published', { workspaceId: h.alpha.id, workflowId, version: 2 }, 'f-2')).toBe(1);
  });

  it('user events reach no workspace unless the operator names one, and then that one only', async () => {
    const inAlpha = await h.publishWorkflow(onEvent('accounts.user.signed-up'));
    const inBeta = await h.publishWorkflow(onEvent('accounts.user.signed-up'), h.beta);
    await h.deliverEvents();
    await raise('accounts.user.signed-up', { userId: h.bob, method: 'password', referredBy: null });
    await h.deliverEvents();
    expect(await h.listRuns(h.alpha, inAlpha)).toEqual([]);
    expect(await h.listRuns(h.beta, inBeta)).toEqual([]);

    const operatorWorkers = h.createTriggers({ instanceEventsWorkspaceId: h.alpha.id });
    await raise('accounts.user.signed-up', { userId: h.alice, method: 'password', referredBy: null });
    await h.deliverEvents(operatorWorkers.subscribers);
    expect(await h.listRuns(h.alpha, inAlpha)).toHaveLength(1);
    expect(await h.listRuns(h.beta, inBeta)).toEqual([]);
  });

  it('a payload naming no valid workspace starts nothing', async () => {
    expect(await h.triggers.api.startEventRuns('workspaces.member.removed', { workspaceId: 'not-a-uuid' }, 'bad')).toBe(0);
    expect(await h.triggers.api.startEventRuns('billing.invoice.paid', { workspaceId: h.alpha.id }, 'unknown')).toBe(0);
  });
});
