import { describe, expect, it } from 'vitest';
import { createMemoryRunStore, type StepRecord } from './run-store';

const at = new Date('2025-01-01T00:00:00Z');
const buildStep = (nodeId: string, status: StepRecord['status']): StepRecord => ({ nodeId, status, attempts: 1, startedAt: at, finishedAt: at });

describe('createMemoryRunStore', () => {
  it('loads finished steps only, keeps runs apart, and lets a later record replace an earlier one', async () => {
    const store = createMemoryRunStore();
    await store.saveStep('a', buildStep('n1', 'succeeded'));
    await store.saveStep('a', buildStep('n2', 'failed'));
    await store.saveStep('a', buildStep('n3', 'skipped'));
    await store.saveStep('b', buildStep('n1', 'failed'));
    expect((await store.loadFinishedSteps('a')).map((record) => record.nodeId)).toEqual(['n1', 'n3']);
    expect(await store.loadFinishedSteps('b')).toEqual([]);
    await store.saveStep('a', buildStep('n2', 'succeeded'));
    expect((await store.loadFinishedSteps('a')).map((record) => record.nodeId)).toEqual(['n1', 'n2', 'n3']);
    expect(store.listSteps('b')).toEqual([buildStep('n1', 'failed')]);
  });

  it('forgets a deleted run', async () => {
    const store = createMemoryRunStore();
    await store.saveStep('a', buildStep('n1', 'succeeded'));
    store.deleteRun('a');
    expect(await store.loadFinishedSteps('a')).toEqual([]);
    expect(store.listSteps('a')).toEqual([]);
  });
});
