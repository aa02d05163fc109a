import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database } from '@weft/db';
import { createCoreNodeRegistry } from '@weft/engine';
import { createRunsModule, type RunsModule } from '@weft/runs';
import { createWorkflowsModule } from '@weft/workflows';
import { claimDueSchedules } from './schedules.repository';
import { scheduleRunKey } from './scheduler';
import { createTriggersHarness, silentLogger, type TriggersHarness } from './test-fixtures/triggers-harness';
import type { TriggeredRunRequest } from './triggers.deps';

let h: TriggersHarness;
beforeAll(async () => {
  // 09:00:30Z: an hourly schedule published now first fires at 10:00Z.
  h = await createTriggersHarness({ start: new Date('2026-01-05T09:00:30Z') });
});
afterAll(async () => {
  await h.close();
});

const schedule = (cron: string, extra: Record<string, unknown> = {}) => ({ type: 'trigger.schedule', params: { cron, ...extra } });
const scheduledAts = async (workflowId: string) =>
  (await h.listRuns(h.alpha, workflowId)).map((run) => (run as { input?: { scheduledAt: string } }).input?.scheduledAt ?? '?').sort();

async function publishScheduled(cron: string, extra: Record<string, unknown> = {}): Promise<string> {
  const workflowId = await h.publishWorkflow(schedule(cron, extra));
  await h.deliverEvents();
  return workflowId;
}

describe('scheduler', () => {
  it('fires a due tick once with the tick as the trigger output, then waits for the next', async () => {
    h.clock.set(new Date('2026-01-05T09:00:30Z'));
    const workflowId = await publishScheduled('0 * * * *');
    const scheduler = h.triggers.createScheduler();
    await scheduler.fireDueSchedules();
    expect(await h.listRuns(h.alpha, workflowId)).toEqual([]);

    h.clock.set(new Date('2026-01-05T10:00:00.250Z'));
    await scheduler.fireDueSchedules();
    await scheduler.fireDueSchedules();
    const runs = await h.listRuns(h.alpha, workflowId);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ triggerKind: 'schedule', status: 'queued' });
    const [run] = await Promise.all([h.runs.api.getRun(h.alpha, runs[0]!.id)]);
    expect(run.run.input).toEqual({ scheduledAt: '2026-01-05T10:00:00.000Z', firedAt: '2026-01-05T10:00:00.250Z', timezone: 'UTC' });
    const [row] = (await h.triggers.api.listSchedules(h.alpha.id)).filter((candidate) => candidate.workflowId === workflowId);
    expect(row).toMatchObject({ lastRunId: runs[0]!.id, claimedBy: null });
    expect(row!.nextFireAt.toISOString()).toBe('2026-01-05T11:00:00.000Z');
    expect(row!.lastFiredAt!.toISOString()).toBe('2026-01-05T10:00:00.000Z');
  });

  it('after downtime applies each missed-fire policy: skip, fire-once, fire-all', async () => {
    h.clock.set(new Date('2026-01-06T09:00:30Z'));
    const skip = await publishScheduled('0 * * * *', { missedFirePolicy: 'skip' });
    const once = await publishScheduled('0 * * * *', { missedFirePolicy: 'fire-once' });
    const all = await publishScheduled('0 * * * *', { missedFirePolicy: 'fire-all' });
    // Down from 09:00:30 to 14:30: the 10:00 … 14:00 ticks were missed.
    h.clock.set(new Date('2026-01-06T14:30:00Z'));
    await h.triggers.createScheduler().fireDueSchedules();
    expect(await scheduledAts(skip)).toEqual([]);
    expect(await scheduledAts(once)).toEqual(['2026-01-06T14:00:00.000Z']);
    expect(await scheduledAts(all)).toEqual(['10', '11', '12', '13', '14'].map((hour) => `2026-01-06T${hour}:00:00.000Z`));
    for (const row of (await h.triggers.api.listSchedules(h.alpha.id)).filter((candidate) => [skip, once, all].includes(candidate.workflowId))) {
      expect(row.nextFireAt.toISOString()).toBe('2026-01-06T15:00:00.000Z');
    }
  });

  it('fire-all catches up at most the cap, the latest ticks', async () => {
    h.clock.set(new Date('2026-01-07T09:00:30Z'));
    const workflowId = await publishScheduled('* * * * *', { missedFirePolicy: 'fire-all' });
    h.clock.set(new Date('2026-01-07T12:00:30Z'));
    await h.createTriggers({ scheduler: { maxCatchUp: 5 } }).createScheduler().fireDueSchedules();
    expect(await scheduledAts(workflowId)).toEqual(['55', '56', '57', '58', '59'].map((minute) => `2026-01-07T11:${minute}:00.000Z`).concat('2026-01-07T12:00:00.000Z'));
  });

  it('reads the pattern in its time zone: 09:00 Berlin is 08:00Z in winter and 07:00Z in summer', async () => {
    h.clock.set(new Date('2026-01-08T06:00:00Z'));
    const winter = await publishScheduled('0 9 * * *', { timezone: 'Europe/Berlin' });
    h.clock.set(new Date('2026-07-08T06:00:00Z'));
    const summer = await publishScheduled('0 9 * * *', { timezone: 'Europe/Berlin' });
    const rows = await h.triggers.api.listSchedules(h.alpha.id);
    expect(rows.find((row) => row.workflowId === winter)!.nextFireAt.toISOString()).toBe('2026-01-08T08:00:00.000Z');
    expect(rows.find((row) => row.workflowId === summer)!.nextFireAt.toISOString()).toBe('2026-07-08T07:00:00.000Z');
    h.clock.set(new Date('2026-07-08T07:00:01Z'));
    await h.triggers.createScheduler().fireDueSchedules();
    expect(await scheduledAts(summer)).toEqual(['2026-07-08T07:00:00.000Z']);
  });

  it('a scheduler that died after starting a run but before advancing does not make the tick fire twice', async () => {
    h.clock.set(new Date('2026-01-09T09:00:30Z'));
    const workflowId = await publishScheduled('0 * * * *');
    h.clock.set(new Date('2026-01-09T10:00:01Z'));
    // The dead scheduler: claimed the row and started the tick's run, then vanished.
    const [claim] = (await claimDueSchedules(h.database.db, 'dead', h.clock.now(), 60_000, 50)).filter((row) => row.workflowId === workflowId);
    const tick = new Date('2026-01-09T10:00:00Z');
    await h.runs.api.startTriggeredRun({ workspaceId: h.alpha.id, workflowId, triggerKind: 'schedule', input: {}, idempotencyKey: scheduleRunKey(claim!.id, tick) });
    const other = h.triggers.createScheduler();
    await other.fireDueSchedules();
    expect(await h.listRuns(h.alpha, workflowId)).toHaveLength(1); // still held by the dead one
    h.clock.set(new Date('2026-01-09T10:01:05Z')); // its lease ran out; the tick is 65 s late but fires (fire-once)
    await other.fireDueSchedules();
    expect(await h.listRuns(h.alpha, workflowId)).toHaveLength(1);
    const [row] = (await h.triggers.api.listSchedules(h.alpha.id)).filter((candidate) => candidate.workflowId === workflowId);
    expect(row!.nextFireAt.toISOString()).toBe('2026-01-09T11:00:00.000Z');
  });

  it('an archived workflow whose schedule is still there starts no run and loses the schedule', async () => {
    h.clock.set(new Date('2026-01-10T09:00:30Z'));
    const workflowId = await publishScheduled('0 * * * *');
    await h.archive(workflowId); // its event not delivered yet
    h.clock.set(new Date('2026-01-10T10:00:01Z'));
    await h.triggers.createScheduler().fireDueSchedules();
    expect(await h.listRuns(h.alpha, workflowId)).toEqual([]);
    expect((await h.triggers.api.listSchedules(h.alpha.id)).filter((row) => row.workflowId === workflowId)).toEqual([]);
    await h.deliverEvents();
  });
});

describe('two schedulers racing on one database', () => {
  it('fire every tick of every schedule exactly once', async () => {
    h.clock.set(new Date('2026-01-11T09:00:00.500Z'));
    const workflowIds: string[] = [];
    for (let i = 0; i < 8; i += 1) workflowIds.push(await h.publishWorkflow(schedule('* * * * * *', { missedFirePolicy: 'fire-all' })));
    await h.deliverEvents();

    // On PostgreSQL the second scheduler has its own pool (another worker process would); PGlite is one connection.
    let second: Database = h.database;
    let secondRuns: RunsModule = h.runs;
    if (h.database.kind === 'postgres') {
      second = await h.database.openAnother();
      const registry = createCoreNodeRegistry();
      const audit = { recordAudit: async () => undefined };
      const workflows = createWorkflowsModule({ database: second, clock: h.clock, registry, requireWorkspaceAccess: h.requireWorkspaceAccess, audit });
      secondRuns = createRunsModule({ database: second, clock: h.clock, logger: silentLogger, registry, catalog: workflows.api.catalog, requireWorkspaceAccess: h.requireWorkspaceAccess, audit });
    }
    const calls: Array<{ scheduler: string; key: string; workflowId: string }> = [];
    const recording = (name: string, runs: RunsModule) => async (request: TriggeredRunRequest) => {
      calls.push({ scheduler: name, key: request.idempotencyKey!, workflowId: request.workflowId });
      return runs.api.startTriggeredRun(request);
    };
    const a = h.createTriggers({ startRun: recording('a', h.runs), scheduler: { batchSize: 3, schedulerId: 'a' } }).createScheduler();
    const b = h.createTriggers({ database: second, startRun: recording('b', secondRuns), scheduler: { batchSize: 3, schedulerId: 'b' } }).createScheduler();

    const ticks = 6;
    for (let second = 1; second <= ticks; second += 1) {
      h.clock.set(new Date(`2026-01-11T09:00:0${second}.100Z`));
      // Each drains what is due, at the same time as the other.
      await Promise.all([drain(a), drain(b)]);
    }
    // Schedules of the earlier tests are due too (their catch-up): counted apart.
    const keys = calls.filter((call) => workflowIds.includes(call.workflowId)).map((call) => call.key);
    expect(new Set(keys).size).toBe(keys.length); // no tick was even attempted twice
    expect(keys).toHaveLength(workflowIds.length * ticks);
    for (const workflowId of workflowIds) {
      expect(await scheduledAts(workflowId)).toEqual([1, 2, 3, 4, 5, 6].map((s) => `2026-01-11T09:00:0${s}.000Z`));
    }
  });
});

async function drain(scheduler: { fireDueSchedules(): Promise<number> }): Promise<void> {
  while ((await scheduler.fireDueSchedules()) > 0);
}
