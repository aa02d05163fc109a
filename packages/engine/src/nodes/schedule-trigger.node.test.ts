import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../compile-workflow';
import { executeRun } from '../execute-run';
import { createMemoryRunStore } from '../run-store';
import { validateGraph } from '../validate-graph';
import { buildNode, silentLogger } from '../workflow-fixtures';
import { createCoreNodeRegistry } from './core-nodes';
import { findCronProblem, ScheduleTriggerParams } from './schedule-trigger.node';

const registry = createCoreNodeRegistry();
const graphWith = (params: Record<string, unknown>) => ({ nodes: [buildNode('tick', 'trigger.schedule', params)], edges: [] });

describe('trigger.schedule', () => {
  it('accepts 5- and 6-field patterns and defaults to UTC and fire-once', () => {
    expect(ScheduleTriggerParams.parse({ cron: '0 9 * * 1-5' })).toEqual({ cron: '0 9 * * 1-5', timezone: 'UTC', missedFirePolicy: 'fire-once' });
    expect(ScheduleTriggerParams.parse({ cron: '*/10 * * * * *', timezone: 'Europe/Berlin', missedFirePolicy: 'fire-all' }).timezone).toBe('Europe/Berlin');
  });

  it('explains what is wrong with a bad pattern', () => {
    expect(findCronProblem('61 * * * *')).toMatch(/minute: 61/);
    expect(findCronProblem('* * *')).toMatch(/five, six/);
    expect(findCronProblem('0 0 1 1 * 2030 *')).toMatch(/five, six|7/);
    expect(findCronProblem('0 9 * * *')).toBeNull();
  });

  it('reports a bad cron at the node and its cron param', () => {
    expect(validateGraph(graphWith({ cron: '61 * * * *' }), registry)).toEqual([
      expect.objectContaining({ code: 'invalid_param', nodeId: 'tick', path: 'nodes[0].params.cron', message: expect.stringMatching(/Invalid cron pattern "61 \* \* \* \*": .*minute/) }),
    ]);
  });

  it('reports an unknown time zone and policy at their params', () => {
    const problems = validateGraph(graphWith({ cron: '0 9 * * *', timezone: 'Mars/Olympus', missedFirePolicy: 'retry' }), registry);
    expect(problems.map((problem) => problem.path).sort()).toEqual(['nodes[0].params.missedFirePolicy', 'nodes[0].params.timezone']);
    expect(problems.find((problem) => problem.path.endsWith('timezone'))!.message).toMatch(/Unknown time zone "Mars\/Olympus"/);
  });

  it('refuses an expression as the pattern: a schedule is fixed when published', () => {
    expect(validateGraph(graphWith({ cron: '{{ $trigger.cron }}' }), registry)).toEqual([
      expect.objectContaining({ code: 'invalid_param', nodeId: 'tick', message: expect.stringMatching(/^cron must be written out/) }),
    ]);
  });

  it('outputs the tick it was started for', async () => {
    const tick = { scheduledAt: '2026-01-01T08:00:00.000Z', firedAt: '2026-01-01T08:00:00.412Z', timezone: 'Europe/Berlin' };
    const compiled = compileWorkflow(graphWith({ cron: '0 9 * * *', timezone: 'Europe/Berlin' }), registry);
    const outcome = await executeRun(compiled, { runId: 's', triggerOutput: tick, store: createMemoryRunStore(), logger: silentLogger });
    expect(outcome.steps).toMatchObject([{ nodeId: 'tick', status: 'succeeded', output: tick }]);
  });
});
