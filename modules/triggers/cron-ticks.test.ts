import { describe, expect, it } from 'vitest';
import { findNextTick, planFires, type FirePlanInput } from './cron-ticks';

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());
const hourly = { cron: '0 * * * *', timezone: 'UTC' };

function plan(overrides: Partial<FirePlanInput>) {
  return planFires({
    spec: hourly,
    policy: 'skip',
    nextFireAt: new Date('2026-03-01T06:00:00Z'),
    now: new Date('2026-03-01T10:00:05Z'),
    graceMs: 60_000,
    maxCatchUp: 100,
    ...overrides,
  });
}

describe('cron ticks', () => {
  it('reads "0 9 * * *" in Europe/Berlin as 08:00Z in winter and 07:00Z in summer', () => {
    const berlin = { cron: '0 9 * * *', timezone: 'Europe/Berlin' };
    expect(findNextTick(berlin, new Date('2026-01-15T12:00:00Z'))!.toISOString()).toBe('2026-01-16T08:00:00.000Z');
    expect(findNextTick(berlin, new Date('2026-07-15T12:00:00Z'))!.toISOString()).toBe('2026-07-16T07:00:00.000Z');
    // Across the spring change (29 March 2026): the day before is CET, the day after CEST.
    expect(findNextTick(berlin, new Date('2026-03-28T09:00:00Z'))!.toISOString()).toBe('2026-03-29T07:00:00.000Z');
  });

  it('fires nothing before the tick and the tick itself once it has come', () => {
    expect(plan({ now: new Date('2026-03-01T05:59:59Z') })).toEqual({ ticks: [], skippedCount: 0, nextFireAt: new Date('2026-03-01T06:00:00Z') });
    const due = plan({ now: new Date('2026-03-01T06:00:00.300Z') });
    expect(iso(due.ticks)).toEqual(['2026-03-01T06:00:00.000Z']);
    expect(due.nextFireAt!.toISOString()).toBe('2026-03-01T07:00:00.000Z');
  });

  it('skip: after downtime only the on-time tick fires and the schedule moves to the future', () => {
    const result = plan({ policy: 'skip' });
    expect(iso(result.ticks)).toEqual(['2026-03-01T10:00:00.000Z']);
    expect(result.skippedCount).toBe(4);
    expect(result.nextFireAt!.toISOString()).toBe('2026-03-01T11:00:00.000Z');
  });

  it('skip with no on-time tick fires nothing at all', () => {
    expect(plan({ policy: 'skip', now: new Date('2026-03-01T09:30:00Z') }).ticks).toEqual([]);
  });

  it('fire-once: one run for the latest missed tick', () => {
    expect(iso(plan({ policy: 'fire-once', now: new Date('2026-03-01T09:30:00Z') }).ticks)).toEqual(['2026-03-01T09:00:00.000Z']);
  });

  it('fire-all: one run per missed tick, oldest first, capped', () => {
    expect(iso(plan({ policy: 'fire-all', now: new Date('2026-03-01T09:30:00Z') }).ticks)).toEqual([
      '2026-03-01T06:00:00.000Z',
      '2026-03-01T07:00:00.000Z',
      '2026-03-01T08:00:00.000Z',
      '2026-03-01T09:00:00.000Z',
    ]);
    const capped = plan({ policy: 'fire-all', spec: { cron: '* * * * * *', timezone: 'UTC' }, now: new Date('2026-04-01T00:00:00Z'), graceMs: 0, maxCatchUp: 100 });
    expect(capped.ticks).toHaveLength(101); // 100 caught up + the tick at `now`
    expect(capped.ticks.at(-1)!.toISOString()).toBe('2026-04-01T00:00:00.000Z');
  });
});
